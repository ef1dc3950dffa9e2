using Embeddings.TestSupport;

namespace Embeddings.Imaging;

public sealed class ImagePreprocessorTests
{
    private static readonly string s_photo = Path.Combine(TestAssets.ImagesDir, "rocket_launch.jpg");

    private static ImagePreprocessor Siglip(ImageDecoderOptions? options = null, IImageDecoder? decoder = null) =>
        new(ImagePreprocessorConfig.Load(PillowReference.ConfigPath("siglip2-bilinear-224")), options, decoder);

    [Fact]
    public void Preprocess_EveryInputKind_GivesTheSameTensor()
    {
        ImagePreprocessor preprocessor = Siglip();
        byte[] encoded = File.ReadAllBytes(s_photo);
        float[] fromFile = Run(preprocessor, EmbeddingInput.FromImageFile(s_photo));
        RgbImage decoded = new LibvipsImageDecoder().Decode(encoded, "photo");

        Assert.Equal(fromFile, Run(preprocessor, EmbeddingInput.FromImage(encoded)));
        Assert.Equal(fromFile, Run(preprocessor, EmbeddingInput.FromImage(new MemoryStream(encoded))));
        Assert.Equal(fromFile, Run(preprocessor, EmbeddingInput.FromImage(new UnseekableStream(encoded))));
        Assert.Equal(fromFile, Run(preprocessor, EmbeddingInput.FromPixels(decoded)));
    }

    [Fact]
    public void PreprocessBatch_OneBadInput_OthersSucceedAndItsSlotIsCleared()
    {
        ImagePreprocessor preprocessor = Siglip();
        EmbeddingInput good = EmbeddingInput.FromImageFile(s_photo);
        EmbeddingInput bad = EmbeddingInput.FromImage("not an image"u8.ToArray(), "notes.txt");
        float[] single = Run(preprocessor, good);
        float[] batch = new float[3 * preprocessor.TensorLength];
        batch.AsSpan().Fill(float.NaN);

        IReadOnlyList<EmbeddingInputException?> errors = preprocessor.PreprocessBatch([good, bad, good], batch);

        Assert.Null(errors[0]);
        Assert.Equal(EmbeddingInputError.UnsupportedFormat, errors[1]!.Reason);
        Assert.Contains("notes.txt", errors[1]!.Message, StringComparison.Ordinal);
        Assert.Null(errors[2]);
        int n = preprocessor.TensorLength;
        Assert.Equal(single, batch[..n]);
        Assert.All(batch[n..(2 * n)], v => Assert.Equal(0f, v));
        Assert.Equal(single, batch[(2 * n)..]);
    }

    [Fact]
    public void PreprocessBatch_InParallel_GivesTheSequentialResults()
    {
        ImagePreprocessor preprocessor = Siglip();
        EmbeddingInput[] inputs =
        [
            .. new[] { "rocket_launch.jpg", "cat_chelsea.png", "dog_beach.gif", "coffee_cmyk.jpg", "coffee_exif_orientation6.jpg" }
                .Select(f => EmbeddingInput.FromImageFile(Path.Combine(TestAssets.ImagesDir, f))),
            EmbeddingInput.FromImage(new byte[] { 0xFF, 0xD8, 0xFF, 0x00 }, "broken.jpg"),
        ];
        float[] sequential = new float[inputs.Length * preprocessor.TensorLength];
        float[] parallel = new float[inputs.Length * preprocessor.TensorLength];

        IReadOnlyList<EmbeddingInputException?> expected = preprocessor.PreprocessBatch(inputs, sequential);
        IReadOnlyList<EmbeddingInputException?> actual = preprocessor.PreprocessBatch(inputs, parallel, maxDegreeOfParallelism: 3, TestContext.Current.CancellationToken);

        Assert.Equal(sequential, parallel);
        Assert.Equal(expected.Select(e => e?.Reason), actual.Select(e => e?.Reason));
        Assert.Equal(EmbeddingInputError.Corrupt, actual[^1]!.Reason);
    }

    [Fact]
    public void PreprocessBatch_Cancelled_Throws()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        EmbeddingInput[] inputs = [EmbeddingInput.FromImageFile(s_photo), EmbeddingInput.FromImageFile(s_photo)];

        Assert.ThrowsAny<OperationCanceledException>(() =>
            Siglip().PreprocessBatch(inputs, new float[2 * 3 * 224 * 224], maxDegreeOfParallelism: 2, cancellation.Token));
    }

    [Fact]
    public void Preprocess_MissingFile_ThrowsUnreadableNamingTheFile()
    {
        string missing = Path.Combine(TestAssets.RepoRoot, "no-such-folder", "missing.jpg");

        var error = Assert.Throws<EmbeddingInputException>(() => Run(Siglip(), EmbeddingInput.FromImageFile(missing)));

        Assert.Equal(EmbeddingInputError.Unreadable, error.Reason);
        Assert.Contains("missing.jpg", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Preprocess_FailingStream_ThrowsUnreadable()
    {
        var stream = new UnseekableStream(new byte[100]) { FailAfter = 10 };

        var error = Assert.Throws<EmbeddingInputException>(() => Run(Siglip(), EmbeddingInput.FromImage(stream, "upload")));

        Assert.Equal(EmbeddingInputError.Unreadable, error.Reason);
        Assert.IsType<IOException>(error.InnerException);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Preprocess_StreamOverByteLimit_ThrowsTooLargeWithoutReadingItAll(bool seekable)
    {
        byte[] encoded = File.ReadAllBytes(s_photo);
        var options = new ImageDecoderOptions { MaxEncodedBytes = 1000 };
        Stream stream = seekable ? new MemoryStream(encoded) : new UnseekableStream(encoded);

        var error = Assert.Throws<EmbeddingInputException>(() => Run(Siglip(options), EmbeddingInput.FromImage(stream, "upload")));

        Assert.Equal(EmbeddingInputError.TooLarge, error.Reason);
        long read = stream is UnseekableStream forwardOnly ? forwardOnly.BytesRead : stream.Position;
        Assert.True(read <= (seekable ? 0 : 4096), $"read {read} of {encoded.Length} bytes");
    }

    [Fact]
    public void Preprocess_TextInput_ThrowsUnsupportedModality()
    {
        var error = Assert.Throws<EmbeddingInputException>(() => Run(Siglip(), EmbeddingInput.FromText("a cat")));

        Assert.Equal(EmbeddingInputError.UnsupportedModality, error.Reason);
    }

    [Fact]
    public void Preprocess_CustomDecoder_IsUsedAndItsImageIsLimited()
    {
        RgbImage decoded = new LibvipsImageDecoder().Decode(File.ReadAllBytes(s_photo), "photo");
        var calls = new List<string>();
        var decoder = new CallbackDecoder((bytes, description) =>
        {
            calls.Add(description);
            return decoded;
        });

        float[] viaCustom = Run(Siglip(decoder: decoder), EmbeddingInput.FromImage(new byte[] { 1, 2, 3 }, "custom"));
        var error = Assert.Throws<EmbeddingInputException>(() =>
            Run(Siglip(new ImageDecoderOptions { MaxPixels = 1000 }, decoder), EmbeddingInput.FromImage(new byte[] { 1, 2, 3 }, "custom")));

        Assert.Equal(Run(Siglip(), EmbeddingInput.FromPixels(decoded)), viaCustom);
        Assert.Equal(["image (3 bytes) 'custom'", "image (3 bytes) 'custom'"], calls);
        Assert.Equal(EmbeddingInputError.TooLarge, error.Reason);
    }

    [Fact]
    public void Preprocess_DestinationTooShort_ThrowsArgumentException()
    {
        ImagePreprocessor preprocessor = Siglip();

        Assert.Throws<ArgumentException>(() => preprocessor.Preprocess(EmbeddingInput.FromImageFile(s_photo), new float[preprocessor.TensorLength - 1]));
    }

    [Fact]
    public void Preprocess_ConcurrentCalls_GiveTheSameTensors()
    {
        ImagePreprocessor preprocessor = Siglip();
        string[] files = ["rocket_launch.jpg", "cat_chelsea.png", "dog_beach.gif", "coffee_exif_orientation6.jpg"];
        float[][] expected = [.. files.Select(f => Run(preprocessor, EmbeddingInput.FromImageFile(Path.Combine(TestAssets.ImagesDir, f))))];

        Parallel.For(0, 32, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            float[] actual = Run(preprocessor, EmbeddingInput.FromImageFile(Path.Combine(TestAssets.ImagesDir, files[i % files.Length])));
            Assert.Equal(expected[i % files.Length], actual);
        });
    }

    private static float[] Run(ImagePreprocessor preprocessor, EmbeddingInput input)
    {
        float[] tensor = new float[preprocessor.TensorLength];
        preprocessor.Preprocess(input, tensor);
        return tensor;
    }

    private sealed class CallbackDecoder(Func<ReadOnlyMemory<byte>, string, RgbImage> decode) : IImageDecoder
    {
        public RgbImage Decode(ReadOnlyMemory<byte> encoded, string inputDescription) => decode(encoded, inputDescription);
    }
}
