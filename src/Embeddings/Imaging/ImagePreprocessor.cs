using System.Buffers;

namespace Embeddings.Imaging;

/// <summary>
/// Turns image inputs into the <c>pixel_values</c> tensor a vision model expects, exactly as the Hugging Face image
/// processor named by <see cref="ImagePreprocessorConfig"/> does in Python: decode (EXIF transpose, RGB as Pillow
/// converts it), resize with Pillow's resampling, center crop, rescale, normalize, channels first (CHW float32).
/// Safe for concurrent use; steady-state calls allocate no large buffers (they are pooled).
/// </summary>
public sealed class ImagePreprocessor
{
    private readonly ImagePreprocessorConfig _config;
    private readonly ImageDecoderOptions _options;
    private readonly IImageDecoder _decoder;
    private readonly LibvipsImageDecoder? _libvips;
    private readonly Func<int, int, (int Width, int Height)> _resizeTarget;

    // Per channel, the float each byte value becomes after rescale and normalize, computed with transformers'
    // arithmetic (float64 rescale, cast to float32, float32 normalize) so the tensor is bit-identical to Python's.
    private readonly float[][] _lookup;

    /// <summary>Creates a preprocessor.</summary>
    /// <param name="config">The model's preprocessing.</param>
    /// <param name="options">Decoding limits and behaviour, or <see langword="null"/> for the defaults. When a
    /// <paramref name="decoder"/> is given, only the size limits apply (the rest is the decoder's business).</param>
    /// <param name="decoder">The decoder, or <see langword="null"/> for a <see cref="LibvipsImageDecoder"/> with
    /// <paramref name="options"/>.</param>
    /// <exception cref="EmbeddingModelException">The configuration is not supported.</exception>
    public ImagePreprocessor(ImagePreprocessorConfig config, ImageDecoderOptions? options = null, IImageDecoder? decoder = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        _config = config;
        _options = options?.Clone() ?? new ImageDecoderOptions();
        _libvips = decoder is null ? new LibvipsImageDecoder(_options) : decoder as LibvipsImageDecoder;
        _decoder = decoder ?? _libvips!;
        _resizeTarget = config.ResizeTarget;
        OutputWidth = config.OutputWidth;
        OutputHeight = config.OutputHeight;
        _lookup = [BuildLookup(config, 0), BuildLookup(config, 1), BuildLookup(config, 2)];
    }

    /// <summary>Gets the configuration.</summary>
    public ImagePreprocessorConfig Config => _config;

    /// <summary>Gets the width of the output tensor.</summary>
    public int OutputWidth { get; }

    /// <summary>Gets the height of the output tensor.</summary>
    public int OutputHeight { get; }

    /// <summary>Gets the number of floats per image: 3 x <see cref="OutputHeight"/> x <see cref="OutputWidth"/>.</summary>
    public int TensorLength => 3 * OutputHeight * OutputWidth;

    /// <summary>Preprocesses one image into <paramref name="destination"/> (channels first: all R, then G, then B).</summary>
    /// <param name="input">An image input: bytes, stream, file or pixels.</param>
    /// <param name="destination">Receives <see cref="TensorLength"/> floats.</param>
    /// <exception cref="EmbeddingInputException">The input is not an image, cannot be read, is too large, corrupt or
    /// in an unsupported format.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    /// <exception cref="NativeLibraryException">libvips is needed and could not be loaded.</exception>
    public void Preprocess(EmbeddingInput input, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (destination.Length < TensorLength)
        {
            throw new ArgumentException($"The destination holds {destination.Length} floats; {TensorLength} are needed.", nameof(destination));
        }

        if (_libvips is not null && input.Kind is EmbeddingInputKind.ImageBytes or EmbeddingInputKind.ImageFile or EmbeddingInputKind.ImageStream)
        {
            PreprocessWithLibvips(input, destination[..TensorLength]);
            return;
        }

        using RentedRgbImage image = Decode(input);
        Transform(image, destination[..TensorLength]);
    }

    /// <summary>
    /// Preprocesses a batch into consecutive tensors of <see cref="TensorLength"/> floats. A failing input does not
    /// stop the others: its slot is zero-filled and its error returned at its index.
    /// </summary>
    /// <param name="inputs">The inputs.</param>
    /// <param name="destination">Receives <c>inputs.Count * TensorLength</c> floats.</param>
    /// <returns>Per input, <see langword="null"/> on success or the error that prevented it.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    /// <exception cref="NativeLibraryException">libvips is needed and could not be loaded.</exception>
    public IReadOnlyList<EmbeddingInputException?> PreprocessBatch(IReadOnlyList<EmbeddingInput> inputs, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        CheckBatchDestination(inputs.Count, destination.Length);
        var errors = new EmbeddingInputException?[inputs.Count];
        for (int i = 0; i < inputs.Count; i++)
        {
            PreprocessSlot(inputs, i, destination, errors);
        }

        return errors;
    }

    /// <summary>
    /// Preprocesses a batch on up to <paramref name="maxDegreeOfParallelism"/> threads (decoding dominates, and each
    /// image decodes on one thread), into consecutive tensors of <see cref="TensorLength"/> floats. A failing input
    /// does not stop the others: its slot is zero-filled and its error returned at its index.
    /// </summary>
    /// <param name="inputs">The inputs.</param>
    /// <param name="destination">Receives <c>inputs.Count * TensorLength</c> floats.</param>
    /// <param name="maxDegreeOfParallelism">The most images preprocessed at once; 1 runs on the calling thread.</param>
    /// <param name="cancellationToken">Stops starting new images.</param>
    /// <returns>Per input, <see langword="null"/> on success or the error that prevented it.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    /// <exception cref="OperationCanceledException">The call was cancelled.</exception>
    /// <exception cref="NativeLibraryException">libvips is needed and could not be loaded.</exception>
    public IReadOnlyList<EmbeddingInputException?> PreprocessBatch(
        IReadOnlyList<EmbeddingInput> inputs, Memory<float> destination, int maxDegreeOfParallelism, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxDegreeOfParallelism);
        if (maxDegreeOfParallelism == 1 || inputs.Count <= 1)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return PreprocessBatch(inputs, destination.Span);
        }

        CheckBatchDestination(inputs.Count, destination.Length);
        var errors = new EmbeddingInputException?[inputs.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = cancellationToken };
        Parallel.For(0, inputs.Count, options, i => PreprocessSlot(inputs, i, destination.Span, errors));
        return errors;
    }

    private void CheckBatchDestination(int count, int length)
    {
        if (length < (long)count * TensorLength)
        {
            throw new ArgumentException($"The destination holds {length} floats; {(long)count * TensorLength} are needed.", "destination");
        }
    }

    private void PreprocessSlot(IReadOnlyList<EmbeddingInput> inputs, int index, Span<float> destination, EmbeddingInputException?[] errors)
    {
        Span<float> slot = destination.Slice(index * TensorLength, TensorLength);
        try
        {
            Preprocess(inputs[index] ?? throw new ArgumentNullException(nameof(inputs), $"Input {index} is null."), slot);
        }
        catch (EmbeddingInputException e)
        {
            slot.Clear();
            errors[index] = e;
        }
    }

    /// <summary>Decodes an input into upright RGB, applying the limits.</summary>
    /// <param name="input">The input.</param>
    /// <returns>The image; dispose it.</returns>
    internal RentedRgbImage Decode(EmbeddingInput input)
    {
        string description = input.ToString();
        switch (input.Kind)
        {
            case EmbeddingInputKind.ImagePixels:
                return RentedRgbImage.Borrowed(input.Pixels!);
            case EmbeddingInputKind.ImageBytes:
                return DecodeEncoded(input.ImageBytes, description);
            case EmbeddingInputKind.ImageFile:
            case EmbeddingInputKind.ImageStream:
                (byte[] buffer, int length) = input.Kind == EmbeddingInputKind.ImageFile
                    ? EncodedImageReader.ReadFile(input.FilePath!, _options.MaxEncodedBytes, description)
                    : EncodedImageReader.ReadStream(input.ImageStream!, _options.MaxEncodedBytes, description);
                try
                {
                    return DecodeEncoded(buffer.AsMemory(0, length), description);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }

            default:
                throw new EmbeddingInputException(EmbeddingInputError.UnsupportedModality, description, "a text input cannot be preprocessed as an image.");
        }
    }

    private RentedRgbImage DecodeEncoded(ReadOnlyMemory<byte> encoded, string description)
    {
        if (encoded.IsEmpty)
        {
            throw new EmbeddingInputException(EmbeddingInputError.Empty, description, "the image is empty (0 bytes).");
        }

        if (encoded.Length > _options.MaxEncodedBytes)
        {
            throw new EmbeddingInputException(
                EmbeddingInputError.TooLarge, description, $"the encoded image is {encoded.Length} bytes, more than the limit of {_options.MaxEncodedBytes}.");
        }

        if (_libvips is not null)
        {
            using VipsDecoding decoding = _libvips.Open(encoded, description, _resizeTarget);
            return decoding.ReadAll();
        }

        RgbImage image = _decoder.Decode(encoded, description)
            ?? throw new InvalidOperationException($"The decoder {_decoder.GetType().Name} returned null for {description}.");
        if ((long)image.Width * image.Height > _options.MaxPixels)
        {
            throw new EmbeddingInputException(
                EmbeddingInputError.TooLarge, description, $"the image is {image.Width}x{image.Height} pixels, more than the limit of {_options.MaxPixels} pixels.");
        }

        return RentedRgbImage.Borrowed(image);
    }

    private void PreprocessWithLibvips(EmbeddingInput input, Span<float> destination)
    {
        string description = input.ToString();
        byte[]? rented = null;
        ReadOnlyMemory<byte> encoded = input.ImageBytes;
        try
        {
            if (input.Kind != EmbeddingInputKind.ImageBytes)
            {
                (rented, int length) = input.Kind == EmbeddingInputKind.ImageFile
                    ? EncodedImageReader.ReadFile(input.FilePath!, _options.MaxEncodedBytes, description)
                    : EncodedImageReader.ReadStream(input.ImageStream!, _options.MaxEncodedBytes, description);
                encoded = rented.AsMemory(0, length);
            }

            using VipsDecoding decoding = _libvips!.Open(encoded, description, _resizeTarget);

            // From the full-scale size: with shrink-on-load the geometry (aspect, crop) stays the exact path's.
            (int width, int height) = _resizeTarget(decoding.UprightFullSize.Width, decoding.UprightFullSize.Height);
            if (decoding.Orientation != 1)
            {
                using RentedRgbImage image = decoding.ReadAll();
                Transform(image, destination, (width, height));
                return;
            }

            // Upright rows go straight from the decoder into the resize, strip by strip: the full-size image is
            // never held in memory.
            byte[] resized = ArrayPool<byte>.Shared.Rent(width * height * 3);
            try
            {
                VipsDecoding rows = decoding;
                PillowResampler.Resize(ref rows, resized, width, height, _config.Resample);
                WriteTensor(resized.AsSpan(0, width * height * 3), width, height, destination);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(resized);
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Resizes, crops, rescales and normalizes a decoded image into a CHW tensor.</summary>
    /// <param name="image">The upright RGB image.</param>
    /// <param name="destination">Receives <see cref="TensorLength"/> floats.</param>
    /// <param name="target">The resize target, when it is not computed from the image's own size.</param>
    internal void Transform(in RentedRgbImage image, Span<float> destination, (int Width, int Height)? target = null)
    {
        (int width, int height) = target ?? _resizeTarget(image.Width, image.Height);
        if (width == image.Width && height == image.Height)
        {
            WriteTensor(image.Pixels, width, height, destination);
            return;
        }

        byte[] resized = ArrayPool<byte>.Shared.Rent(width * height * 3);
        try
        {
            PillowResampler.Resize(image.Readable, image.Width, image.Height, resized, width, height, _config.Resample);
            WriteTensor(resized.AsSpan(0, width * height * 3), width, height, destination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(resized);
        }
    }

    /// <summary>Resizes a decoded image to the configured size as 8-bit RGB (before crop and normalization).</summary>
    /// <param name="image">The upright RGB image.</param>
    /// <param name="target">The resize target, when it is not computed from the image's own size.</param>
    /// <returns>The resized width, height and pixels.</returns>
    internal (int Width, int Height, byte[] Pixels) ResizeOnly(in RentedRgbImage image, (int Width, int Height)? target = null)
    {
        (int width, int height) = target ?? _resizeTarget(image.Width, image.Height);
        byte[] resized = new byte[width * height * 3];
        PillowResampler.Resize(image.Readable, image.Width, image.Height, resized, width, height, _config.Resample);
        return (width, height, resized);
    }

    private void WriteTensor(ReadOnlySpan<byte> rgb, int width, int height, Span<float> destination)
    {
        int outWidth = OutputWidth;
        int outHeight = OutputHeight;
        int plane = outWidth * outHeight;
        float[] red = _lookup[0], green = _lookup[1], blue = _lookup[2];

        // transformers' center_crop: offsets floor((size - crop) / 2); where the image is smaller than the crop it is
        // padded with zero bytes, which then go through rescale and normalize like any pixel.
        int top = _config.DoCenterCrop ? FloorHalf(height - outHeight) : 0;
        int left = _config.DoCenterCrop ? FloorHalf(width - outWidth) : 0;
        for (int y = 0; y < outHeight; y++)
        {
            int sy = y + top;
            int row = y * outWidth;
            if (sy < 0 || sy >= height)
            {
                destination.Slice(row, outWidth).Fill(red[0]);
                destination.Slice(plane + row, outWidth).Fill(green[0]);
                destination.Slice((2 * plane) + row, outWidth).Fill(blue[0]);
                continue;
            }

            ReadOnlySpan<byte> source = rgb.Slice(sy * width * 3, width * 3);
            Span<float> r = destination.Slice(row, outWidth);
            Span<float> g = destination.Slice(plane + row, outWidth);
            Span<float> b = destination.Slice((2 * plane) + row, outWidth);
            for (int x = 0; x < outWidth; x++)
            {
                int sx = x + left;
                if (sx < 0 || sx >= width)
                {
                    r[x] = red[0];
                    g[x] = green[0];
                    b[x] = blue[0];
                    continue;
                }

                int s = sx * 3;
                r[x] = red[source[s]];
                g[x] = green[source[s + 1]];
                b[x] = blue[source[s + 2]];
            }
        }
    }

    private static int FloorHalf(int value) => value >= 0 ? value / 2 : -((1 - value) / 2);

    private static float[] BuildLookup(ImagePreprocessorConfig config, int channel)
    {
        var table = new float[256];
        float mean = config.DoNormalize ? (float)config.ImageMean[channel] : 0f;
        float std = config.DoNormalize ? (float)config.ImageStd[channel] : 1f;
        for (int v = 0; v < 256; v++)
        {
            float value = config.DoRescale ? (float)(v * config.RescaleFactor) : v;
            table[v] = config.DoNormalize ? (value - mean) / std : value;
        }

        return table;
    }
}
