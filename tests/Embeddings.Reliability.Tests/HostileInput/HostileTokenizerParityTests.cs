using System.Text.Json;
using Embeddings.TestSupport;
using Embeddings.Tokenization;

namespace Embeddings.Reliability.HostileInput;

/// <summary>
/// The hostile texts through the real tokenizers give exactly the ids Hugging Face's Rust tokenizers give
/// (artifacts/references/reliability/tokenizers.json, written by eng/references/reliability/generate.sh).
/// </summary>
public sealed class HostileTokenizerParityTests(ITestOutputHelper output)
{
    public static TheoryData<string> Tokenizers => ["clip-vit-base-patch32", "all-MiniLM-L6-v2", "gemma3"];

    [Theory]
    [MemberData(nameof(Tokenizers))]
    public void Encode_HostileTexts_SameIdsAsHuggingFaceTokenizers(string name)
    {
        string file = Path.Combine(TestAssets.ReferencesDir("reliability"), "tokenizers.json");
        Assert.True(File.Exists(file), $"{file} is missing: run eng/references/reliability/generate.sh");
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(file));
        Tokenizer tokenizer = Tokenizer.Create(TestAssets.TokenizerDir(name));

        var failures = new List<string>();
        int count = 0, tokens = 0;
        foreach (JsonElement row in json.RootElement.GetProperty(name).EnumerateArray())
        {
            string text = row.GetProperty("text").GetString()!;
            int[] expected = [.. row.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32())];
            int[] actual;
            try
            {
                actual = tokenizer.Encode(text).Ids.ToArray();
            }
            catch (Exception ex)
            {
                failures.Add($"{row.GetProperty("name").GetString()}: {ex.GetType().Name}: {ex.Message}");
                continue;
            }

            count++;
            tokens += actual.Length;
            if (!expected.AsSpan().SequenceEqual(actual))
            {
                int at = 0;
                while (at < Math.Min(expected.Length, actual.Length) && expected[at] == actual[at])
                {
                    at++;
                }

                failures.Add($"{row.GetProperty("name").GetString()}: {actual.Length} ids, expected {expected.Length}; first difference at {at}");
            }
        }

        output.WriteLine($"{name}: {count} hostile texts, {tokens} tokens, {failures.Count} differences from Hugging Face tokenizers.");
        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.True(count > 0, $"{file} holds no texts for {name}");
    }
}
