using BenchmarkDotNet.Attributes;
using Embeddings.Onnx;

namespace Embeddings.Benchmarks.Onnx;

/// <summary>
/// What ONNX Runtime's CPU memory arena saves per run on a real encoder graph (tiny MiniLM), with requests of varying
/// sequence length as embedding traffic has them: the case for <see cref="OnnxRuntimeOptions.EnableCpuMemoryArena"/>'s
/// default. The memory side (the arena keeps its peak for good) is measured by OnnxMemoryTests.
/// </summary>
[MemoryDiagnoser]
public class OnnxArenaBenchmark
{
    private static readonly int[] s_lengths = [16, 128, 48, 96];

    private OnnxSession _session = null!;
    private (OnnxTensor Ids, OnnxTensor Mask, OnnxTensor Types)[] _batches = [];

    /// <summary>Gets or sets whether the arena is on.</summary>
    [Params(false, true)]
    public bool Arena { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var options = new OnnxRuntimeOptions
        {
            IntraOpThreads = 1,
            InterOpThreads = 1,
            EnableCpuMemoryArena = Arena,
            LibraryPath = Path.Combine(BenchmarkAssets.RepoRoot, "artifacts", "native", "linux-x64"),
        };
        _session = OnnxSession.Create(Path.Combine(BenchmarkAssets.ModelDir("tiny", "minilm"), "onnx", "model.onnx"), options);
        const int batch = 8;
        _batches = s_lengths.Select(length =>
        {
            long[] shape = [batch, length];
            long[] ids = Enumerable.Range(0, batch * length).Select(i => (long)(101 + (i * 37 % 20000))).ToArray();
            long[] mask = Enumerable.Repeat(1L, batch * length).ToArray();
            long[] types = new long[batch * length];
            return (OnnxTensor.Create(ids, shape), OnnxTensor.Create(mask, shape), OnnxTensor.Create(types, shape));
        }).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach ((OnnxTensor ids, OnnxTensor mask, OnnxTensor types) in _batches)
        {
            ids.Dispose();
            mask.Dispose();
            types.Dispose();
        }

        _session.Dispose();
    }

    /// <summary>Four batches of 8 texts, 16 / 128 / 48 / 96 tokens.</summary>
    [Benchmark]
    public long FourBatchesOfVaryingLength()
    {
        long total = 0;
        foreach ((OnnxTensor ids, OnnxTensor mask, OnnxTensor types) in _batches)
        {
            using OnnxOutputs outputs = _session.Run(["input_ids", "attention_mask", "token_type_ids"], [ids, mask, types]);
            total += outputs[0].ElementCount;
        }

        return total;
    }
}
