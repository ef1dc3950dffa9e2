using BenchmarkDotNet.Attributes;
using Embeddings.Onnx;

namespace Embeddings.Benchmarks.Onnx;

/// <summary>
/// Per-<c>Run</c> overhead of the binding on the tiny ort-dtypes model (five inputs, seven outputs, batch 2), with the
/// settings eng/references/onnx/bench.mjs gives onnxruntime-node: one intra-op and one inter-op thread.
/// </summary>
[MemoryDiagnoser]
public class OnnxRunBenchmark
{
    private OnnxSession _session = null!;
    private string[] _names = [];
    private OnnxTensor[] _tensors = [];
    private OnnxTensor[] _scratch = [];
    private Array[] _data = [];
    private long[][] _shapes = [];
    private CancellationTokenSource _cts = null!;

    [GlobalSetup]
    public void Setup()
    {
        var options = new OnnxRuntimeOptions
        {
            IntraOpThreads = 1,
            InterOpThreads = 1,
            // The generated benchmark app lives elsewhere; load the runtime the repository fetched.
            LibraryPath = Path.Combine(BenchmarkAssets.RepoRoot, "artifacts", "native", "linux-x64"),
        };
        _session = OnnxSession.Create(Path.Combine(BenchmarkAssets.ModelDir("tiny", "ort-dtypes"), "model.onnx"), options);
        _names = _session.Inputs.Select(i => i.Name).ToArray();
        _shapes = _session.Inputs.Select(i => i.Shape.Select(d => d < 0 ? 2L : d).ToArray()).ToArray();
        _data = _session.Inputs.Select((info, k) =>
        {
            int count = (int)_shapes[k].Aggregate(1L, (a, b) => a * b);
            return info.ElementType switch
            {
                OnnxElementType.Float => (Array)Enumerable.Range(0, count).Select(i => i * 0.25f).ToArray(),
                OnnxElementType.Int64 => Enumerable.Range(0, count).Select(i => (long)i).ToArray(),
                OnnxElementType.Int32 => Enumerable.Range(0, count).ToArray(),
                OnnxElementType.Float16 => Enumerable.Range(0, count).Select(i => (Half)i).ToArray(),
                OnnxElementType.Bool => Enumerable.Range(0, count).Select(i => i % 2 == 0).ToArray(),
                _ => throw new NotSupportedException(info.ToString()),
            };
        }).ToArray();
        _tensors = CreateTensors();
        _scratch = new OnnxTensor[_tensors.Length];
        _cts = new CancellationTokenSource();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (OnnxTensor tensor in _tensors)
        {
            tensor.Dispose();
        }

        _session.Dispose();
        _cts.Dispose();
    }

    /// <summary>Run with input tensors made once; read and release the outputs.</summary>
    [Benchmark(Baseline = true)]
    public long Run()
    {
        using OnnxOutputs outputs = _session.Run(_names, _tensors);
        return outputs[0].ElementCount;
    }

    /// <summary>The same with a cancellable token: one RunOptions and one token registration per call.</summary>
    [Benchmark]
    public long RunCancellable()
    {
        using OnnxOutputs outputs = _session.Run(_names, _tensors, [], _cts.Token);
        return outputs[0].ElementCount;
    }

    /// <summary>Pin the input arrays as new tensors, run, release everything: what a provider does per batch.</summary>
    [Benchmark]
    public long CreateTensorsAndRun()
    {
        OnnxTensor[] tensors = _scratch;
        for (int k = 0; k < tensors.Length; k++)
        {
            tensors[k] = CreateTensor(k);
        }

        try
        {
            using OnnxOutputs outputs = _session.Run(_names, tensors);
            return outputs[0].ElementCount;
        }
        finally
        {
            foreach (OnnxTensor tensor in tensors)
            {
                tensor.Dispose();
            }
        }
    }

    private OnnxTensor[] CreateTensors() => Enumerable.Range(0, _data.Length).Select(CreateTensor).ToArray();

    private OnnxTensor CreateTensor(int k) => _data[k] switch
    {
        float[] f => OnnxTensor.Create(f, _shapes[k]),
        long[] l => OnnxTensor.Create(l, _shapes[k]),
        int[] i => OnnxTensor.Create(i, _shapes[k]),
        Half[] h => OnnxTensor.Create(h, _shapes[k]),
        bool[] b => OnnxTensor.Create(b, _shapes[k]),
        _ => throw new NotSupportedException(),
    };
}
