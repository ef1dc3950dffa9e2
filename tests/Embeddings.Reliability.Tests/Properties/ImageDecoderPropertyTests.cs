using Embeddings.Imaging;
using Embeddings.Reliability.HostileInput;
using Embeddings.Reliability.Support;
using Embeddings.TestSupport;

namespace Embeddings.Reliability.Properties;

/// <summary>
/// Randomized damage to real images (bit flips, truncations, overwritten, inserted and deleted bytes, shuffled PNG
/// chunks and JPEG segments) through the decoder and the preprocessor a SigLIP2 model uses: every case gives a finite
/// tensor or an <see cref="EmbeddingInputException"/> naming the input, and nothing else.
/// </summary>
public sealed class ImageDecoderPropertyTests(ITestOutputHelper output)
{
    private const int Cases = 3000;

    private static readonly TimeSpan s_budget = TimeSpan.FromSeconds(15);

    [Fact]
    public void Preprocess_MutatedRealImages_FiniteTensorOrTypedError()
    {
        // Small seeds keep each case cheap: a few real files and generated layouts the real files lack.
        byte[][] seeds =
        [
            HostileImages.Read("tiny_animated.gif"),
            HostileImages.Read("camera_grayscale.jpg"),
            HostileImages.Read("coffee_exif_orientation6.jpg"),
            HostileImages.Read("dog_beach.jpg"),
            PngWriter.Encode(48, 32, PngWriter.Rgba, 8, (y, r) => Fill(r, y)),
            PngWriter.Encode(40, 24, PngWriter.Palette, 8, (y, r) => Fill(r, y), palette: [.. Enumerable.Range(0, 768).Select(i => (byte)(i * 7))]),
            PngWriter.Encode(30, 20, PngWriter.GreyAlpha, 16, (y, r) => Fill(r, y)),
            TiffWriter.Encode(16, 12, 3, 8, 2, [.. Enumerable.Range(0, 16 * 12 * 3).Select(i => (byte)i)]),
        ];
        ImagePreprocessorConfig config = ImagePreprocessorConfig.Load(Path.Combine(ReliabilityModels.Folder("siglip2"), "preprocessor_config.json"));
        var preprocessor = new ImagePreprocessor(config);
        float[] tensor = new float[preprocessor.TensorLength];
        var outcomes = new Dictionary<string, int>();

        int ran = PropertySeed.Run(nameof(Preprocess_MutatedRealImages_FiniteTensorOrTypedError), Cases, s_budget, (i, random) =>
        {
            byte[] seed = seeds[random.Next(seeds.Length)];
            (string what, byte[] data) = ImageMutations.Mutate(seed, random);
            string name = $"mutant {i} ({what})";
            string outcome;
            try
            {
                preprocessor.Preprocess(EmbeddingInput.FromImage(data, name), tensor);
                foreach (float v in tensor)
                {
                    Assert.True(float.IsFinite(v), $"{name}: a tensor value is not finite");
                }

                outcome = "tensor";
            }
            catch (EmbeddingInputException ex)
            {
                Assert.Contains(name, ex.Message, StringComparison.Ordinal);
                outcome = ex.Reason.ToString();
            }

            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        });

        output.WriteLine($"{ran} mutated images in {s_budget.TotalSeconds:F0} s at most, seed {PropertySeed.Value}: " +
            string.Join(", ", outcomes.OrderByDescending(o => o.Value).Select(o => $"{o.Key} {o.Value}")));
        Assert.True(ran >= 300, $"only {ran} cases ran within the budget");
    }

    private static void Fill(Span<byte> row, int y)
    {
        for (int x = 0; x < row.Length; x++)
        {
            row[x] = (byte)((x * 11) ^ (y * 5));
        }
    }
}
