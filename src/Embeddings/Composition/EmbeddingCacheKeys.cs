using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Embeddings.Composition;

/// <summary>Builds cache keys: <c>{prefix}{context hash}:{content kind}{SHA-256 of the content}</c>, in hex.</summary>
internal static class EmbeddingCacheKeys
{
    /// <summary>The content tag of a text (hashed as UTF-8).</summary>
    public const char TextTag = 't';

    /// <summary>The content tag of an encoded image, however it was given (bytes, stream, file): the same bytes give
    /// the same vector.</summary>
    public const char EncodedImageTag = 'i';

    /// <summary>The content tag of decoded pixels (hashed with their width and height).</summary>
    public const char PixelsTag = 'p';

    private const int ContentHashHexChars = SHA256.HashSizeInBytes * 2;

    /// <summary>Describes everything other than content that changes a vector.</summary>
    /// <remarks>Options left unset resolve to what they mean (the model's full dimension, normalized), so a call
    /// that spells out the defaults shares entries with one that does not. Images ignore prompts, so their
    /// contexts leave the prompt out.</remarks>
    public static EmbeddingCacheContext CreateContext(
        string keyPrefix, EmbeddingProviderMetadata metadata, EmbeddingModalities modality, EmbeddingRequestOptions? options)
    {
        string? prompt = modality == EmbeddingModalities.Text ? options?.PromptName : null;
        int dimensions = options?.Dimensions ?? metadata.Dimensions;
        bool normalize = options?.Normalize ?? true;

        // Length-prefixed fields, so no choice of model id or prompt can imitate another field layout.
        var canonical = new StringBuilder("embeddings-cache/1");
        Append(canonical, metadata.ModelId);
        Append(canonical, metadata.ModelRevision);
        Append(canonical, modality == EmbeddingModalities.Text ? "text" : "image");
        Append(canonical, prompt);
        Append(canonical, dimensions.ToString(CultureInfo.InvariantCulture));
        Append(canonical, normalize ? "normalized" : "raw");

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString()), hash);
        string prefix = string.Concat(keyPrefix, Convert.ToHexStringLower(hash[..8]), ":");
        return new EmbeddingCacheContext(prefix, BinaryPrimitives.ReadUInt64LittleEndian(hash[8..16]));
    }

    /// <summary>Gets the number of bytes a text is hashed as.</summary>
    public static long TextByteCount(string text) => Encoding.UTF8.GetByteCount(text);

    /// <summary>Makes the key of a text.</summary>
    public static string ForText(in EmbeddingCacheContext context, string text)
    {
        int length = Encoding.UTF8.GetByteCount(text);
        byte[] rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            int written = Encoding.UTF8.GetBytes(text, rented);
            return ForContent(context, TextTag, rented.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Makes the key of an encoded image.</summary>
    public static string ForEncodedImage(in EmbeddingCacheContext context, ReadOnlySpan<byte> encoded) =>
        ForContent(context, EncodedImageTag, encoded);

    /// <summary>Makes the key of decoded pixels: their dimensions, then the RGB bytes.</summary>
    public static string ForPixels(in EmbeddingCacheContext context, RgbImage pixels)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> size = stackalloc byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(size, pixels.Width);
        BinaryPrimitives.WriteInt32LittleEndian(size[4..], pixels.Height);
        hash.AppendData(size);
        hash.AppendData(pixels.Pixels.Span);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        hash.GetHashAndReset(digest);
        return Compose(context, PixelsTag, digest);
    }

    /// <summary>Gets the number of bytes decoded pixels are hashed as.</summary>
    public static long PixelsByteCount(RgbImage pixels) => pixels.Pixels.Length + 8L;

    private static string ForContent(in EmbeddingCacheContext context, char tag, ReadOnlySpan<byte> content)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(content, digest);
        return Compose(context, tag, digest);
    }

    private static string Compose(in EmbeddingCacheContext context, char tag, ReadOnlySpan<byte> digest)
    {
        Span<char> hex = stackalloc char[ContentHashHexChars];
        Convert.TryToHexStringLower(digest, hex, out _);
        return string.Concat(context.KeyPrefix, new ReadOnlySpan<char>(in tag), hex);
    }

    private static void Append(StringBuilder canonical, string? field)
    {
        canonical.Append('\n');
        if (field is null)
        {
            canonical.Append('-');
            return;
        }

        canonical.Append(field.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(field);
    }
}
