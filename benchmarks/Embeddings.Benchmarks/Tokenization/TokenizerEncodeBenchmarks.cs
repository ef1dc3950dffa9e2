using BenchmarkDotNet.Attributes;
using Embeddings.Tokenization;

namespace Embeddings.Benchmarks.Tokenization;

/// <summary>
/// Encodes the whole tokenizer corpus (2,365 strings, special tokens on, no padding) on one thread, as the Rust
/// library's <c>encodeBatch</c> is timed with one thread by eng/references/tokenization/bench.mjs.
/// </summary>
[MemoryDiagnoser]
public class TokenizerEncodeBenchmarks
{
    private Tokenizer _tokenizer = null!;
    private Tokenizer _uncached = null!;
    private string[] _texts = null!;

    [Params("gemma3", "clip", "minilm")]
    public string Tokenizer { get; set; } = "gemma3";

    [GlobalSetup]
    public void Setup()
    {
        _tokenizer = Embeddings.Tokenization.Tokenizer.Create(TokenizationCorpus.Folder(Tokenizer));
        _uncached = Embeddings.Tokenization.Tokenizer.Create(TokenizationCorpus.Folder(Tokenizer));
        if (_uncached.Pipeline.Model is BpeModel bpe)
        {
            bpe.CacheEnabled = false;
        }

        _texts = TokenizationCorpus.Texts;
    }

    /// <summary>One <see cref="Embeddings.Tokenization.Tokenizer.Encode(string, EncodeOptions?)"/> per string.</summary>
    [Benchmark]
    public long EncodeCorpus() => EncodeAll(_tokenizer);

    /// <summary>As <see cref="EncodeCorpus"/> with the BPE word cache off: every word merged from scratch.</summary>
    [Benchmark]
    public long EncodeCorpusWithoutWordCache() => EncodeAll(_uncached);

    /// <summary>Batches of 32 into padded int64 buffers, as a model feeds them (SigLIP-style max_length 64).</summary>
    [Benchmark]
    public long EncodeBatchesOf32ToTensors()
    {
        var options = new EncodeOptions { Padding = PaddingMode.MaxLength, Truncation = true, MaxLength = 64 };
        long cells = 0;
        for (int start = 0; start < _texts.Length; start += 32)
        {
            TokenizedBatch batch = _tokenizer.EncodeBatch(new ArraySegment<string>(_texts, start, Math.Min(32, _texts.Length - start)), options);
            cells += batch.InputIds.Length;
        }

        return cells;
    }

    private long EncodeAll(Embeddings.Tokenization.Tokenizer tokenizer)
    {
        long tokens = 0;
        foreach (string text in _texts)
        {
            tokens += tokenizer.Encode(text).Length;
        }

        return tokens;
    }
}
