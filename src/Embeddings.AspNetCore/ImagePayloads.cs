namespace Embeddings.AspNetCore;

/// <summary>Decodes images carried as text: standard base64, or a <c>data:image/…;base64,</c> URI.</summary>
internal static class ImagePayloads
{
    private const string DataImagePrefix = "data:image/";
    private const string Base64Marker = ";base64,";

    /// <summary>Whether a string is an image data URI (<c>data:image/…;base64,…</c>), which OpenAI-style requests use
    /// to carry images among texts.</summary>
    public static bool IsImageDataUri(string value) =>
        value.StartsWith(DataImagePrefix, StringComparison.OrdinalIgnoreCase)
        && value.AsSpan(0, Math.Min(value.Length, 256)).IndexOf(Base64Marker, StringComparison.OrdinalIgnoreCase) > 0;

    /// <summary>Decodes a base64 string or a base64 data URI.</summary>
    /// <param name="value">The text.</param>
    /// <param name="bytes">The encoded image.</param>
    /// <returns>What is wrong with the text, or <see langword="null"/> when it was decoded.</returns>
    public static string? TryDecode(string value, out ReadOnlyMemory<byte> bytes)
    {
        bytes = ReadOnlyMemory<byte>.Empty;
        ReadOnlySpan<char> payload = value.AsSpan();
        if (payload.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            int comma = payload.IndexOf(',');
            if (comma < 0 || !payload[..comma].EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
            {
                return "is a data URI that is not base64-encoded (expected data:image/...;base64,...)";
            }

            if (!payload[5..comma].StartsWith("image/", StringComparison.OrdinalIgnoreCase))
            {
                return "is a data URI whose media type is not an image";
            }

            payload = payload[(comma + 1)..];
        }

        payload = payload.Trim();
        if (payload.IsEmpty)
        {
            return "is empty";
        }

        byte[] buffer = new byte[(payload.Length / 4 * 3) + 3];
        if (!Convert.TryFromBase64Chars(payload, buffer, out int written))
        {
            return "is not valid base64";
        }

        bytes = buffer.AsMemory(0, written);
        return null;
    }
}
