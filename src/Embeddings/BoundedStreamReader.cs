namespace Embeddings;

/// <summary>Reads an image stream into memory up to a limit, for the components that must hold one whole (the remote
/// provider, the cache, the fallback provider).</summary>
internal static class BoundedStreamReader
{
    private const int UnknownLengthInitialBytes = 64 * 1024;
    private const int MinimumGrowthBytes = 4096;

    /// <summary>
    /// Reads <paramref name="stream"/> from its position to its end, or until one byte more than
    /// <paramref name="limit"/> was read: a length above the limit means the stream holds more, and the rest is
    /// left unread. A limit of <see cref="Array.MaxLength"/> or more reads at most that many bytes.
    /// </summary>
    /// <returns>The buffer (possibly larger than what was read) and the number of bytes read into it.</returns>
    public static async ValueTask<(byte[] Buffer, int Length)> ReadAsync(Stream stream, long limit, CancellationToken cancellationToken)
    {
        int cap = limit >= Array.MaxLength ? Array.MaxLength : (int)limit + 1;

        // A seekable stream announces its size; one byte more notices a stream that grew, without a resize at the end.
        long initial = stream.CanSeek ? Math.Max(0, stream.Length - stream.Position) + 1 : UnknownLengthInitialBytes;
        byte[] buffer = new byte[Math.Min(initial, cap)];
        int length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length >= cap)
                {
                    break;
                }

                Array.Resize(ref buffer, (int)Math.Min(cap, Math.Max(buffer.Length * 2L, MinimumGrowthBytes)));
            }

            int read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            length += read;
        }

        return (buffer, length);
    }
}
