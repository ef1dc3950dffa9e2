namespace Embeddings;

/// <summary>
/// One item to embed: a text, or an image given as encoded bytes, a stream, a file path or decoded RGB pixels.
/// </summary>
/// <remarks>
/// Inputs hold references, not copies: byte buffers, streams and pixel memory must stay unchanged (and streams open)
/// until the embedding call that uses them has completed. A stream is read from its current position and is never
/// disposed by the library.
/// </remarks>
public sealed class EmbeddingInput
{
    private EmbeddingInput(EmbeddingInputKind kind, string? name)
    {
        Kind = kind;
        Name = name;
    }

    /// <summary>Gets how the content is carried.</summary>
    public EmbeddingInputKind Kind { get; }

    /// <summary>Gets the modality of this input.</summary>
    public EmbeddingModalities Modality => Kind == EmbeddingInputKind.Text ? EmbeddingModalities.Text : EmbeddingModalities.Image;

    /// <summary>
    /// Gets a caller-chosen name used in error messages and logs (for files, the path by default).
    /// The content itself is never written to errors or logs.
    /// </summary>
    public string? Name { get; }

    /// <summary>Gets the text, for <see cref="EmbeddingInputKind.Text"/>.</summary>
    public string? Text { get; private init; }

    /// <summary>Gets the encoded image, for <see cref="EmbeddingInputKind.ImageBytes"/>.</summary>
    public ReadOnlyMemory<byte> ImageBytes { get; private init; }

    /// <summary>Gets the stream holding the encoded image, for <see cref="EmbeddingInputKind.ImageStream"/>.</summary>
    public Stream? ImageStream { get; private init; }

    /// <summary>Gets the image file path, for <see cref="EmbeddingInputKind.ImageFile"/>.</summary>
    public string? FilePath { get; private init; }

    /// <summary>Gets the decoded pixels, for <see cref="EmbeddingInputKind.ImagePixels"/>.</summary>
    public RgbImage? Pixels { get; private init; }

    /// <summary>Creates a text input.</summary>
    /// <param name="text">The text. An empty string is a valid input for models that accept it.</param>
    /// <param name="name">An optional name for error messages.</param>
    public static EmbeddingInput FromText(string text, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new EmbeddingInput(EmbeddingInputKind.Text, name) { Text = text };
    }

    /// <summary>Creates an image input from encoded bytes (JPEG, PNG, WebP, GIF, TIFF, ...).</summary>
    /// <param name="encoded">The encoded image.</param>
    /// <param name="name">An optional name for error messages.</param>
    public static EmbeddingInput FromImage(ReadOnlyMemory<byte> encoded, string? name = null) =>
        new(EmbeddingInputKind.ImageBytes, name) { ImageBytes = encoded };

    /// <summary>Creates an image input read from a stream when the input is embedded.</summary>
    /// <param name="stream">A readable stream, owned by the caller.</param>
    /// <param name="name">An optional name for error messages.</param>
    public static EmbeddingInput FromImage(Stream stream, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new EmbeddingInput(EmbeddingInputKind.ImageStream, name) { ImageStream = stream };
    }

    /// <summary>Creates an image input read from a file when the input is embedded.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="name">An optional name for error messages; the path by default.</param>
    public static EmbeddingInput FromImageFile(string path, string? name = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new EmbeddingInput(EmbeddingInputKind.ImageFile, name ?? path) { FilePath = path };
    }

    /// <summary>Creates an image input from decoded RGB pixels; decoding and its limits are skipped.</summary>
    /// <param name="pixels">The pixels.</param>
    /// <param name="name">An optional name for error messages.</param>
    public static EmbeddingInput FromPixels(RgbImage pixels, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        return new EmbeddingInput(EmbeddingInputKind.ImagePixels, name) { Pixels = pixels };
    }

    /// <summary>Converts a string to a text input.</summary>
    /// <param name="text">The text.</param>
    public static implicit operator EmbeddingInput(string text) => FromText(text);

    /// <summary>Describes the input without its content, for errors and logs.</summary>
    /// <returns>For example <c>image file 'cat.jpg'</c> or <c>text (12 characters)</c>.</returns>
    public override string ToString()
    {
        string what = Kind switch
        {
            EmbeddingInputKind.Text => $"text ({Text!.Length} characters)",
            EmbeddingInputKind.ImageBytes => $"image ({ImageBytes.Length} bytes)",
            EmbeddingInputKind.ImageStream => "image stream",
            EmbeddingInputKind.ImageFile => "image file",
            EmbeddingInputKind.ImagePixels => $"image pixels ({Pixels!.Width}x{Pixels.Height})",
            _ => "input",
        };
        return Name is null ? what : $"{what} '{Name}'";
    }
}
