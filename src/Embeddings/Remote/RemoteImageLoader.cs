namespace Embeddings.Remote;

/// <summary>Gets the encoded bytes of an image input, as they are (no re-encoding), within a size limit.</summary>
internal static class RemoteImageLoader
{
    /// <summary>Loads an image input.</summary>
    /// <param name="input">An image input.</param>
    /// <param name="maxBytes">The largest encoded size accepted.</param>
    /// <param name="cancellationToken">Cancels reading.</param>
    /// <returns>The encoded bytes, or the typed error for this input.</returns>
    public static async ValueTask<(ReadOnlyMemory<byte> Bytes, EmbeddingInputException? Error)> LoadAsync(
        EmbeddingInput input, long maxBytes, CancellationToken cancellationToken)
    {
        string description = input.ToString();
        try
        {
            ReadOnlyMemory<byte> bytes = input.Kind switch
            {
                EmbeddingInputKind.ImageBytes => input.ImageBytes,
                EmbeddingInputKind.ImageFile => await ReadFileAsync(input.FilePath!, maxBytes, description, cancellationToken).ConfigureAwait(false),
                EmbeddingInputKind.ImageStream => await ReadStreamAsync(input.ImageStream!, maxBytes, description, cancellationToken).ConfigureAwait(false),
                EmbeddingInputKind.ImagePixels => PngEncoder.Encode(input.Pixels!),
                _ => throw new EmbeddingInputException(EmbeddingInputError.UnsupportedModality, description, "is not an image."),
            };

            if (bytes.IsEmpty)
            {
                return (default, new EmbeddingInputException(EmbeddingInputError.Empty, description, "has no bytes."));
            }

            if (bytes.Length > maxBytes)
            {
                return (default, TooLarge(description, maxBytes));
            }

            return (bytes, null);
        }
        catch (EmbeddingInputException ex)
        {
            return (default, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ObjectDisposedException)
        {
            return (default, new EmbeddingInputException(EmbeddingInputError.Unreadable, description, $"could not be read ({ex.GetType().Name}).", ex));
        }
    }

    private static async ValueTask<ReadOnlyMemory<byte>> ReadFileAsync(string path, long maxBytes, string description, CancellationToken cancellationToken)
    {
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw new EmbeddingInputException(EmbeddingInputError.Unreadable, description, "does not exist.");
        }

        if (file.Length > maxBytes)
        {
            throw TooLarge(description, maxBytes);
        }

        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            return await ReadStreamAsync(stream, maxBytes, description, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async ValueTask<ReadOnlyMemory<byte>> ReadStreamAsync(Stream stream, long maxBytes, string description, CancellationToken cancellationToken)
    {
        if (!stream.CanRead)
        {
            throw new EmbeddingInputException(EmbeddingInputError.Unreadable, description, "is not readable.");
        }

        if (stream.CanSeek && stream.Length - stream.Position > maxBytes)
        {
            throw TooLarge(description, maxBytes);
        }

        (byte[] buffer, int length) = await BoundedStreamReader.ReadAsync(stream, maxBytes, cancellationToken).ConfigureAwait(false);
        if (length > maxBytes)
        {
            throw TooLarge(description, maxBytes);
        }

        return buffer.AsMemory(0, length);
    }

    private static EmbeddingInputException TooLarge(string description, long maxBytes) =>
        new(EmbeddingInputError.TooLarge, description, $"is larger than the {maxBytes}-byte limit for remote images.");
}
