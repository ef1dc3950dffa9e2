using System.Text.Json;

namespace Embeddings.Benchmarks.Tokenization;

/// <summary>The committed tokenizer test corpus (testdata/tokenization/corpus.jsonl) and the tokenizer folders.</summary>
internal static class TokenizationCorpus
{
    private static readonly Lazy<string[]> s_texts = new(() =>
        [.. File.ReadLines(Path.Combine(BenchmarkAssets.RepoRoot, "testdata", "tokenization", "corpus.jsonl"))
            .Where(l => l.Length > 0)
            .Select(l => JsonSerializer.Deserialize<string>(l)!)]);

    /// <summary>Gets the corpus strings.</summary>
    public static string[] Texts => s_texts.Value;

    /// <summary>Gets the folder of a benchmarked tokenizer: gemma3, clip or minilm.</summary>
    public static string Folder(string name) => name switch
    {
        "gemma3" => BenchmarkAssets.TokenizerDir("gemma3"),
        "clip" => BenchmarkAssets.TokenizerDir("clip-vit-base-patch32"),
        "minilm" => BenchmarkAssets.TokenizerDir("all-MiniLM-L6-v2"),
        _ => throw new ArgumentException("Unknown tokenizer " + name, nameof(name)),
    };
}
