using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Embeddings.Tokenization;

namespace Embeddings.Benchmarks.Tokenization;

/// <summary>Loads tokenizer folders: the 33 MB Gemma 3 tokenizer.json (262,144 tokens, 514,906 merges) and CLIP's.</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 9)]
public class TokenizerLoadBenchmarks
{
    [Params("gemma3", "clip")]
    public string Tokenizer { get; set; } = "gemma3";

    [Benchmark]
    public Tokenizer Load() => Embeddings.Tokenization.Tokenizer.Create(TokenizationCorpus.Folder(Tokenizer));
}
