using System.Buffers;

namespace Embeddings.Imaging;

/// <summary>Reads encoded images from files and streams into pooled buffers, enforcing the size limit before (files,
/// seekable streams) or while (other streams) reading.</summary>
internal static class EncodedImageReader
{
    private const int Chunk = 81920;

    /// <summary>Reads a whole file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="maxBytes">The largest size accepted.</param>
    /// <param name="description">The input description for errors.</param>
    /// <returns>A pooled buffer (return it to <see cref="ArrayPool{T}.Shared"/>) and the number of bytes read.</returns>
    internal static (byte[] Buffer, int Length) ReadFile(string path, long maxBytes, string description)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
            return Read(file, maxBytes, description);
        }
        catch (FileNotFoundException e)
        {
            throw new EmbeddingInputException(EmbeddingInputError.Unreadable, description, "the file does not exist.", e);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new EmbeddingInputException(EmbeddingInputError.Unreadable, description, "the file's folder does not exist.", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new EmbeddingInputException(EmbeddingInputError.Unreadable, description, "access to the file was denied.", e);
        }
        catch (IOException e)
        {
            throw new EmbeddingInputException(EmbeddingInputError.Unreadable, description, $"the file could not be read ({e.GetType().Name}).", e);
        }
    }

    /// <summary>Reads a stream from its current position to its end.</summary>
    /// <param name="stream">The stream; not disposed.</param>
    /// <param name="maxBytes">The largest size accepted.</param>
    /// <param name="description">The input description for errors.</param>
    /// <returns>A pooled buffer (return it to <see cref="ArrayPool{T}.Shared"/>) and the number of bytes read.</returns>
    internal static (byte[] Buffer, int Length) ReadStream(Stream stream, long maxBytes, string description)
    {
        try
        {
            return Read(stream, maxBytes, description);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or NotSupportedException or UnauthorizedAccessException)
        {
            throw new EmbeddingInputException(EmbeddingInputError.Unreadable, description, $"the stream could not be read ({e.GetType().Name}).", e);
        }
    }

    private static (byte[] Buffer, int Length) Read(Stream stream, long maxBytes, string description)
    {
        int limit = (int)Math.Min(maxBytes, Array.MaxLength - 1);
        int expected = Chunk;
        if (stream.CanSeek)
        {
            long remaining = stream.Length - stream.Position;
            if (remaining > limit)
            {
                throw TooLarge(description, maxBytes);
            }

            expected = (int)Math.Max(remaining, 0) + 1;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Min(expected, limit + 1));
        int length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    // Reading one byte past the limit is how an unseekable stream shows it is too large.
                    if (length > limit)
                    {
                        throw TooLarge(description, maxBytes);
                    }

                    byte[] larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, (long)limit + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                int read = stream.Read(buffer, length, buffer.Length - length);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > limit)
                {
                    throw TooLarge(description, maxBytes);
                }
            }

            return (buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private static EmbeddingInputException TooLarge(string description, long maxBytes) =>
        new(EmbeddingInputError.TooLarge, description, $"the encoded image is larger than the limit of {maxBytes} bytes.");
}
