using System.Diagnostics;
using Embeddings.Onnx;

namespace Embeddings.Benchmarks.SideBySide;

/// <summary>
/// Per-<c>Run</c> time of the binding, measured the way eng/references/onnx/bench.mjs measures onnxruntime-node: the
/// same session settings (one intra-op and one inter-op thread, arena off), every dynamic dimension 2, rounds of
/// sequential runs reading one output, the median round after a warm-up round. Also the managed bytes allocated per
/// run over the measured rounds.
/// </summary>
internal static class OnnxRunSide
{
    public static int Run(SideArgs args)
    {
        string model = args.String("model");
        int runs = args.Int("runs", 20_000);
        int rounds = args.Int("rounds", 6);
        using OnnxSession session = OnnxSession.Create(model, new OnnxRuntimeOptions { IntraOpThreads = 1, InterOpThreads = 1 });
        string[] names = [.. session.Inputs.Select(i => i.Name)];
        OnnxTensor[] tensors = [.. session.Inputs.Select(CreateInput)];
        try
        {
            var perRunUs = new List<double>();
            long allocated = 0;
            for (int round = 0; round < rounds; round++)
            {
                long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < runs; i++)
                {
                    using OnnxOutputs outputs = session.Run(names, tensors);
                    if (outputs[0].ElementCount < 0)
                    {
                        throw new UnreachableException();
                    }
                }

                double us = Stopwatch.GetElapsedTime(start).TotalMicroseconds / runs;
                if (round > 0)
                {
                    perRunUs.Add(us);
                    allocated += GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
                }
            }

            ResultLine.Write("onnx-run", new()
            {
                ["model"] = Path.GetFileName(Path.GetDirectoryName(model)),
                ["onnxruntime"] = session.RuntimeVersion,
                ["runs_per_round"] = runs,
                ["rounds"] = perRunUs.Count,
                ["median_us"] = Samples.Median(perRunUs),
                ["min_us"] = perRunUs.Min(),
                ["max_us"] = perRunUs.Max(),
                ["allocated_bytes_per_run"] = (double)allocated / (runs * perRunUs.Count),
            });
            return 0;
        }
        finally
        {
            foreach (OnnxTensor tensor in tensors)
            {
                tensor.Dispose();
            }
        }
    }

    // The values bench.mjs gives each element type.
    private static OnnxTensor CreateInput(OnnxTensorInfo info)
    {
        long[] shape = [.. info.Shape.Select(d => d < 0 ? 2L : d)];
        int count = (int)shape.Aggregate(1L, (a, b) => a * b);
        return info.ElementType switch
        {
            OnnxElementType.Float => OnnxTensor.Create(Enumerable.Range(0, count).Select(i => i * 0.25f).ToArray(), shape),
            OnnxElementType.Int64 => OnnxTensor.Create(Enumerable.Range(0, count).Select(i => (long)i).ToArray(), shape),
            OnnxElementType.Int32 => OnnxTensor.Create(Enumerable.Range(0, count).ToArray(), shape),
            OnnxElementType.Float16 => OnnxTensor.Create(Enumerable.Range(0, count).Select(i => (Half)i).ToArray(), shape),
            OnnxElementType.Bool => OnnxTensor.Create(Enumerable.Range(0, count).Select(i => i % 2 == 0).ToArray(), shape),
            _ => throw new NotSupportedException(info.ToString()),
        };
    }
}
