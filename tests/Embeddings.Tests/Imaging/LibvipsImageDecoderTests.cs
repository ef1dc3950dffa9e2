using Embeddings.TestSupport;

namespace Embeddings.Imaging;

public sealed class LibvipsImageDecoderTests(ITestOutputHelper output)
{
    private const string Name = "upload-42";

    public static TheoryData<string> BadInputNames => [.. BadImages.All().Select(b => b.Name)];

    [Theory]
    [MemberData(nameof(BadInputNames))]
    public void Decode_BadInput_ThrowsTypedErrorNamingTheInput(string name)
    {
        (_, byte[] data, EmbeddingInputError[] reasons) = BadImages.All().Single(b => b.Name == name);
        var decoder = new LibvipsImageDecoder();

        var error = Assert.Throws<EmbeddingInputException>(() => decoder.Decode(data, $"image '{Name}'"));

        output.WriteLine($"{name}: {error.Reason}: {error.Message}");
        Assert.Contains(error.Reason, reasons);
        Assert.Contains(Name, error.Message, StringComparison.Ordinal);
        Assert.Equal($"image '{Name}'", error.InputDescription);
        Assert.DoesNotContain("secret-content", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_EmptyInput_ThrowsEmpty()
    {
        var error = Assert.Throws<EmbeddingInputException>(() => new LibvipsImageDecoder().Decode(ReadOnlyMemory<byte>.Empty, Name));

        Assert.Equal(EmbeddingInputError.Empty, error.Reason);
    }

    [Fact]
    public void Decode_HugeHeader_IsRefusedBeforeAnyPixelIsAllocated()
    {
        var decoder = new LibvipsImageDecoder();
        byte[] bomb = BadImages.HugePng(100_000, 100_000);
        Assert.Throws<EmbeddingInputException>(() => decoder.Decode(bomb, Name)); // warm-up

        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<EmbeddingInputException>(() => decoder.Decode(bomb, Name));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        output.WriteLine($"{error.Message} (managed bytes allocated: {allocated})");
        Assert.Equal(EmbeddingInputError.TooLarge, error.Reason);
        Assert.Contains("100000x100000", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < 64 * 1024, $"{allocated} bytes allocated");
    }

    [Fact]
    public void Decode_ImageOverConfiguredPixelLimit_ThrowsTooLarge()
    {
        byte[] photo = File.ReadAllBytes(Path.Combine(TestAssets.ImagesDir, "rocket_launch.jpg"));
        var decoder = new LibvipsImageDecoder(new ImageDecoderOptions { MaxPixels = (640 * 427) - 1 });

        var error = Assert.Throws<EmbeddingInputException>(() => decoder.Decode(photo, Name));

        Assert.Equal(EmbeddingInputError.TooLarge, error.Reason);
        Assert.Contains("640x427", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_ImageOverConfiguredByteLimit_ThrowsTooLarge()
    {
        byte[] photo = File.ReadAllBytes(Path.Combine(TestAssets.ImagesDir, "rocket_launch.jpg"));
        var decoder = new LibvipsImageDecoder(new ImageDecoderOptions { MaxEncodedBytes = photo.Length - 1 });

        var error = Assert.Throws<EmbeddingInputException>(() => decoder.Decode(photo, Name));

        Assert.Equal(EmbeddingInputError.TooLarge, error.Reason);
    }

    [Fact]
    public void Decode_ConcurrentCalls_GiveTheSamePixelsAsSequentialCalls()
    {
        string[] files = ["rocket_launch.jpg", "cat_chelsea.png", "dog_beach.gif", "coffee_cmyk.jpg", "coffee_exif_orientation6.jpg", "landscape_mountains.webp"];
        var decoder = new LibvipsImageDecoder();
        byte[][] encoded = [.. files.Select(f => File.ReadAllBytes(Path.Combine(TestAssets.ImagesDir, f)))];
        byte[][] expected = [.. encoded.Select(e => decoder.Decode(e, Name).Pixels.ToArray())];

        Parallel.For(0, 48, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            RgbImage image = decoder.Decode(encoded[i % files.Length], Name);
            Assert.True(image.Pixels.Span.SequenceEqual(expected[i % files.Length]), files[i % files.Length]);
        });
    }

    [Fact]
    public void Get_LoadedLibrary_ReportsItsLocationAndVersion()
    {
        Libvips vips = Libvips.Get();

        output.WriteLine($"libvips {vips.Version} from {vips.Location}");
        Assert.Matches(@"^8\.\d+\.\d+", vips.Version);
    }

    [Fact]
    public void Load_NoCandidateExists_ThrowsNativeLibraryExceptionListingEveryLocation()
    {
        string[] candidates = [Path.Combine(TestAssets.RepoRoot, "no-such-dir", "libvips-cpp.so.0"), "libvips-that-does-not-exist.so.42"];

        var error = Assert.Throws<NativeLibraryException>(() => Libvips.Load(candidates));

        output.WriteLine(error.Message);
        Assert.Equal("libvips", error.LibraryName);
        Assert.Equal(2, error.Searched.Count);
        Assert.All(candidates, c => Assert.Contains(c, error.Message, StringComparison.Ordinal));
        Assert.Contains(Libvips.PathEnvironmentVariable, error.Message, StringComparison.Ordinal);

        // How to install it, as the package README says.
        Assert.Contains("apt-get install libvips42", error.Message, StringComparison.Ordinal);
        Assert.Contains("brew install vips", error.Message, StringComparison.Ordinal);
    }
}
