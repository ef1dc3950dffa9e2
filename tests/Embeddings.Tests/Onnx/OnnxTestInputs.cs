namespace Embeddings.Onnx;

/// <summary>Builds valid, deterministic input tensors for any model from its declared inputs.</summary>
internal sealed class OnnxTestInputs : IDisposable
{
    private readonly List<OnnxTensor> _tensors = [];

    private OnnxTestInputs(string[] names)
    {
        Names = names;
    }

    public string[] Names { get; }

    public OnnxTensor[] Tensors => [.. _tensors];

    /// <summary>Creates one tensor per input; dynamic dimensions get <paramref name="dynamicSize"/>, values derive from
    /// <paramref name="seed"/>.</summary>
    public static OnnxTestInputs For(OnnxSession session, int dynamicSize = 2, int seed = 1) => For(session, [dynamicSize], seed);

    /// <summary>Creates one tensor per input; the n-th dynamic dimension of each input gets
    /// <paramref name="dynamicSizes"/>[n] (the last one repeats).</summary>
    public static OnnxTestInputs For(OnnxSession session, int[] dynamicSizes, int seed = 1)
    {
        var inputs = new OnnxTestInputs(session.Inputs.Select(i => i.Name).ToArray());
        var random = new Random(seed);
        foreach (OnnxTensorInfo info in session.Inputs)
        {
            int dynamic = 0;
            long[] shape = info.Shape.Select(d => d < 0 ? dynamicSizes[Math.Min(dynamic++, dynamicSizes.Length - 1)] : d).ToArray();
            int count = (int)shape.Aggregate(1L, (a, b) => a * b);
            inputs._tensors.Add(info.ElementType switch
            {
                OnnxElementType.Float => OnnxTensor.Create(Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray(), shape),
                OnnxElementType.Int64 => OnnxTensor.Create(Enumerable.Range(0, count).Select(_ => (long)(IdBound(info.Name) == 1 ? 1 : random.Next(0, IdBound(info.Name)))).ToArray(), shape),
                OnnxElementType.Int32 => OnnxTensor.Create(Enumerable.Range(0, count).Select(_ => random.Next(-100, 100)).ToArray(), shape),
                OnnxElementType.Float16 => OnnxTensor.Create(Enumerable.Range(0, count).Select(_ => (Half)(random.NextDouble() * 4 - 2)).ToArray(), shape),
                OnnxElementType.Bool => OnnxTensor.Create(Enumerable.Range(0, count).Select(_ => random.Next(2) == 1).ToArray(), shape),
                _ => throw new NotSupportedException(info.ToString()),
            });
        }

        return inputs;
    }

    // Masks are all ones and token types 0 or 1, so that real encoders accept the inputs; ids stay small.
    private static int IdBound(string name) =>
        name.Contains("attention_mask", StringComparison.Ordinal) ? 1 : name.Contains("token_type", StringComparison.Ordinal) ? 2 : 100;

    public void Dispose()
    {
        foreach (OnnxTensor tensor in _tensors)
        {
            tensor.Dispose();
        }
    }
}
