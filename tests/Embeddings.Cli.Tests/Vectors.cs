using System.Text.Json;

namespace Embeddings.Cli;

/// <summary>Reads vectors back from the tool's output.</summary>
internal static class Vectors
{
    /// <summary>The <c>embedding</c> of a JSON line, each number read back as the float32 it was written from.</summary>
    public static float[] Embedding(JsonElement line) =>
        [.. line.GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle())];

    /// <summary>Asserts two vectors are identical, bit for bit.</summary>
    public static void AssertIdentical(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                Assert.Fail($"Element {i} differs: expected {expected[i]:R}, got {actual[i]:R}.");
            }
        }
    }

    /// <summary>Asserts the tool wrote one <c>embedding</c> line per expected result, each identical to it.</summary>
    public static void AssertLines(IReadOnlyList<EmbeddingResult> expected, CliResult result)
    {
        IReadOnlyList<JsonElement> lines = result.JsonLines;
        Assert.Equal(expected.Count, lines.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            AssertIdentical(expected[i].Vector.Span, Embedding(lines[i]));
        }
    }
}
