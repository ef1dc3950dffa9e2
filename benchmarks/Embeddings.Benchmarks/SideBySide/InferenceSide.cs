using System.Diagnostics;
using System.Globalization;
using Embeddings.Onnx;

namespace Embeddings.Benchmarks.SideBySide;

/// <summary>
/// Inference alone through the binding, on tensors made once (the floor any end-to-end pipeline sits on), measured as
/// benchmarks/sidebyside/ort_inference.mjs measures onnxruntime-node: the same session settings (<c>threads</c>
/// intra-op threads, one inter-op thread, full graph optimization, sequential execution, arena off), the same input
/// values (pixels uniform in [-1, 1), token ids uniform below <c>vocab</c>, attention mask all ones), warm-up runs,
/// then runs until both a minimum count and a minimum time are reached. Every output is computed and returned.
/// Configurations are batch sizes (<c>1,8</c>) or batch x sequence length (<c>16x64</c>).
/// </summary>
internal static class InferenceSide
{
    public static int Run(SideArgs args)
    {
        string model = args.String("model");
        int threads = args.Int("threads", Environment.ProcessorCount);
        int vocab = args.Int("vocab", 1000);
        int warmup = args.Int("warmup", 1);
        int minRuns = args.Int("min-runs", 5);
        double minSeconds = args.Double("min-seconds", 5);

        long loadStart = Stopwatch.GetTimestamp();
        using OnnxSession session = OnnxSession.Create(model, new OnnxRuntimeOptions { IntraOpThreads = threads, InterOpThreads = 1 });
        double loadMs = Stopwatch.GetElapsedTime(loadStart).TotalMilliseconds;
        string[] names = [.. session.Inputs.Select(i => i.Name)];
        var random = new Random(1234);
        foreach (string config in args.List("configs", "1"))
        {
            string[] parts = config.Split('x');
            int batch = int.Parse(parts[0], CultureInfo.InvariantCulture);
            int sequence = parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 0;
            OnnxTensor[] tensors = [.. session.Inputs.Select(info => CreateInput(info, batch, sequence, vocab, random))];
            try
            {
                Samples samples = Samples.Measure(
                    () =>
                    {
                        using OnnxOutputs outputs = session.Run(names, tensors);
                        if (outputs[outputs.Count - 1].ElementCount <= 0)
                        {
                            throw new UnreachableException();
                        }
                    },
                    warmup,
                    minRuns,
                    minSeconds);
                var fields = samples.ToFields();
                fields["model"] = model;
                fields["onnxruntime"] = session.RuntimeVersion;
                fields["threads"] = threads;
                fields["batch"] = batch;
                fields["sequence"] = sequence;
                fields["load_ms"] = loadMs;
                ResultLine.Write("inference", fields);
            }
            finally
            {
                foreach (OnnxTensor tensor in tensors)
                {
                    tensor.Dispose();
                }
            }
        }

        return 0;
    }

    private static OnnxTensor CreateInput(OnnxTensorInfo info, int batch, int sequence, int vocab, Random random)
    {
        // Dimension 0 is the batch; a dynamic dimension after it is the sequence length.
        long[] shape = [.. info.Shape.Select((d, i) => i == 0 ? batch : d >= 0 ? d : sequence)];
        if (shape.Any(d => d <= 0))
        {
            throw new ArgumentException($"Input {info} needs a sequence length: give configurations as BATCHxSEQUENCE.");
        }

        int count = checked((int)shape.Aggregate(1L, (a, b) => a * b));
        return info.ElementType switch
        {
            OnnxElementType.Float => OnnxTensor.Create(Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray(), shape),
            OnnxElementType.Int64 when info.Name == "input_ids" => OnnxTensor.Create(Enumerable.Range(0, count).Select(_ => (long)random.Next(vocab)).ToArray(), shape),
            OnnxElementType.Int64 when info.Name == "attention_mask" => OnnxTensor.Create(Enumerable.Repeat(1L, count).ToArray(), shape),
            OnnxElementType.Int64 => OnnxTensor.Create(new long[count], shape),
            _ => throw new NotSupportedException(info.ToString()),
        };
    }
}
