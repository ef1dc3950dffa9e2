
namespace Embeddings.Imaging;

/// <summary>Formats Pillow 9.4 cannot read, so there is no byte-exact reference: an AVIF encoded by sharp from a
/// lossless photo must decode to that photo, within the loss of the encoding.</summary>
public sealed class OtherFormatTests(ITestOutputHelper output)
{
    [Fact]
    public void Decode_AvifFromSharp_MatchesTheLosslessOriginal()
    {
        string avif = Path.Combine(PillowReference.Dir, "sharp-inputs", "food_coffee.avif");
        RgbImage original = PillowReference.Decoded("food_coffee.png");

        RgbImage decoded = new LibvipsImageDecoder().Decode(File.ReadAllBytes(avif), "food_coffee.avif");

        Assert.Equal((original.Width, original.Height), (decoded.Width, decoded.Height));
        ByteDifference difference = ByteDifference.Of(original.Pixels.Span, decoded.Pixels.Span);
        double mean = 0;
        for (int i = 0; i < original.Pixels.Length; i++)
        {
            mean += Math.Abs(original.Pixels.Span[i] - decoded.Pixels.Span[i]);
        }

        mean /= original.Pixels.Length;
        output.WriteLine($"AVIF (sharp, q90 4:4:4) vs the PNG original: mean |d| {mean:F2}, {difference}");
        Assert.True(mean < 3, $"mean |d| {mean}");
    }
}
