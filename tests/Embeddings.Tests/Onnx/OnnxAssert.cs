namespace Embeddings.Onnx;

/// <summary>Compares run outputs.</summary>
internal static class OnnxAssert
{
    /// <summary>Asserts two runs' outputs have the same names, types and shapes, and values within a tolerance
    /// (exact for integers and booleans). Returns the largest absolute difference seen.</summary>
    public static double Equal(OnnxOutputs expected, OnnxOutputs actual, double tolerance)
    {
        Assert.Equal(expected.Count, actual.Count);
        double worst = 0;
        for (int i = 0; i < expected.Count; i++)
        {
            worst = Math.Max(worst, Equal(expected[i].Name, expected[i].ElementType, expected[i].Shape.ToArray(), Bytes(expected[i]), actual[i], tolerance));
        }

        return worst;
    }

    /// <summary>Asserts one output equals raw little-endian reference data.</summary>
    public static double Equal(string name, OnnxElementType type, long[] shape, byte[] expected, OnnxOutput actual, double tolerance)
    {
        Assert.Equal(name, actual.Name);
        Assert.Equal(type, actual.ElementType);
        Assert.Equal(shape, actual.Shape.ToArray());
        byte[] bytes = Bytes(actual);
        Assert.Equal(expected.Length, bytes.Length);
        switch (type)
        {
            case OnnxElementType.Float:
                return Close(name, Cast<float>(expected).Select(v => (double)v).ToArray(), actual.ToArray<float>().Select(v => (double)v).ToArray(), tolerance);
            case OnnxElementType.Float16:
                return Close(name, Cast<Half>(expected).Select(v => (double)v).ToArray(), actual.ToArray<Half>().Select(v => (double)v).ToArray(), tolerance);
            default:
                Assert.True(expected.AsSpan().SequenceEqual(bytes), $"output '{name}' differs");
                return 0;
        }
    }

    private static double Close(string name, double[] expected, double[] actual, double tolerance)
    {
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.False(double.IsNaN(actual[i]) != double.IsNaN(expected[i]), $"output '{name}'[{i}]: NaN mismatch");
            if (!double.IsNaN(expected[i]))
            {
                worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
            }
        }

        Assert.True(worst <= tolerance, $"output '{name}': largest difference {worst:E3} exceeds {tolerance:E1}");
        return worst;
    }

    private static T[] Cast<T>(byte[] bytes)
        where T : unmanaged => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(bytes).ToArray();

    private static byte[] Bytes(OnnxOutput output) => output.ElementType switch
    {
        OnnxElementType.Float => System.Runtime.InteropServices.MemoryMarshal.AsBytes(output.GetData<float>()).ToArray(),
        OnnxElementType.Int64 => System.Runtime.InteropServices.MemoryMarshal.AsBytes(output.GetData<long>()).ToArray(),
        OnnxElementType.Int32 => System.Runtime.InteropServices.MemoryMarshal.AsBytes(output.GetData<int>()).ToArray(),
        OnnxElementType.Float16 => System.Runtime.InteropServices.MemoryMarshal.AsBytes(output.GetData<Half>()).ToArray(),
        OnnxElementType.Bool => System.Runtime.InteropServices.MemoryMarshal.AsBytes(output.GetData<bool>()).ToArray(),
        _ => throw new NotSupportedException(output.ElementType.ToString()),
    };
}
