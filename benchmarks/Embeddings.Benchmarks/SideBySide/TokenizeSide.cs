using System.Diagnostics;
using Embeddings.Benchmarks.Tokenization;
using Embeddings.Tokenization;

namespace Embeddings.Benchmarks.SideBySide;

/// <summary>
/// The tokenizer comparison's side for this library, measured as eng/references/tokenization/bench.mjs measures Hugging
/// Face's Rust tokenizers: <c>loads</c> loads of each tokenizer folder (first and median), one warm-up pass over the
/// corpus (which also counts the tokens, so the two sides can be checked to have done the same work), warm-up passes
/// for <c>warmup-seconds</c> (tiered JIT: the first passes run unoptimized code, which a long-running process never
/// sees), then <c>runs</c> timed passes encoding every string on one thread (special tokens on, no padding, no
/// truncation).
/// </summary>
internal static class TokenizeSide
{
    public static int Run(SideArgs args)
    {
        int loads = args.Int("loads", 5);
        int runs = args.Int("runs", 15);
        double warmupSeconds = args.Double("warmup-seconds", 3);
        string[] texts = TokenizationCorpus.Texts;
        foreach (string name in args.List("tokenizers", "gemma3,clip,minilm"))
        {
            var loadMs = new List<double>();
            Tokenizer? tokenizer = null;
            long loadAllocated = 0;
            for (int i = 0; i < loads; i++)
            {
                tokenizer = null;
                GC.Collect();
                long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                long start = Stopwatch.GetTimestamp();
                tokenizer = Tokenizer.Create(TokenizationCorpus.Folder(name));
                loadMs.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                loadAllocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            }

            long tokens = EncodeAll(tokenizer!, texts);
            Samples encode = Samples.Measure(() => EncodeAll(tokenizer!, texts), warmup: 1, minRuns: runs, minSeconds: 0, warmupSeconds);
            var fields = encode.ToFields();
            fields["tokenizer"] = name;
            fields["strings"] = texts.Length;
            fields["tokens"] = tokens;
            fields["load_first_ms"] = loadMs[0];
            fields["load_median_ms"] = Samples.Median(loadMs);
            fields["load_allocated_bytes"] = loadAllocated;
            ResultLine.Write("tokenize", fields);
        }

        return 0;
    }

    private static long EncodeAll(Tokenizer tokenizer, string[] texts)
    {
        long tokens = 0;
        foreach (string text in texts)
        {
            tokens += tokenizer.Encode(text).Length;
        }

        return tokens;
    }
}
