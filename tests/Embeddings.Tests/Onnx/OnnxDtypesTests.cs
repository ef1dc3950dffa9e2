namespace Embeddings.Onnx;

/// <summary>Every element type through the ort-dtypes model, whose outputs eng/models/README.md defines as simple
/// functions of the inputs; the expected values are computed here from those definitions.</summary>
public sealed class OnnxDtypesTests
{
    private const int Batch = 3;

    [Fact]
    public void Run_EveryElementType_RoundTripsThroughTheDocumentedFunctions()
    {
        float[] f = Enumerable.Range(0, Batch * 4).Select(i => (i * 0.37f) - 2.1f).ToArray();
        long[] i64 = Enumerable.Range(0, Batch * 4).Select(i => (long)(i * 1_000_000_007L) - 5_000_000_000L).ToArray();
        int[] i32 = Enumerable.Range(0, Batch * 4).Select(i => (i * 7919) - 40_000).ToArray();
        Half[] f16 = Enumerable.Range(0, Batch * 4).Select(i => (Half)((i * 0.125) - 0.75)).ToArray();
        bool[] b = Enumerable.Range(0, Batch * 4).Select(i => i % 3 == 0).ToArray();
        using OnnxSession session = OnnxTestModels.Open("ort-dtypes");
        using OnnxTensor tf = OnnxTensor.Create(f, [Batch, 4]);
        using OnnxTensor ti64 = OnnxTensor.Create(i64, [Batch, 4]);
        using OnnxTensor ti32 = OnnxTensor.Create(i32, [Batch, 4]);
        using OnnxTensor tf16 = OnnxTensor.Create(f16, [Batch, 4]);
        using OnnxTensor tb = OnnxTensor.Create(b, [Batch, 4]);

        using OnnxOutputs outputs = session.Run(
            ["float_input", "int64_input", "int32_input", "float16_input", "bool_input"], [tf, ti64, ti32, tf16, tb], [],
            TestContext.Current.CancellationToken);

        Assert.Equal(f.Select(v => v + 1f), outputs["float_output"].ToArray<float>());
        Assert.Equal(i64.Select(v => v * 2), outputs["int64_output"].ToArray<long>());
        Assert.Equal(i32.Select(v => v + 7), outputs["int32_output"].ToArray<int>());
        Assert.Equal(f16.Select(v => (Half)((float)v * 2)), outputs["float16_output"].ToArray<Half>());
        Assert.Equal(b.Select(v => !v), outputs["bool_output"].ToArray<bool>());
        float[] sum = outputs["sum_output"].ToArray<float>();
        for (int k = 0; k < f.Length; k++)
        {
            float expected = f[k] + i64[k] + i32[k] + (float)f16[k] + (b[k] ? 1f : 0f);
            Assert.Equal(expected, sum[k], Math.Abs(expected) * 1e-6f);
        }

        float[] matmul = outputs["matmul_output"].ToArray<float>();
        Assert.Equal([Batch, 3], outputs["matmul_output"].Shape.ToArray());
        for (int r = 0; r < Batch; r++)
        {
            for (int j = 0; j < 3; j++)
            {
                double expected = Enumerable.Range(0, 4).Sum(i => (double)f[(r * 4) + i] * ((3 * i) + j + 1));
                Assert.Equal(expected, matmul[(r * 3) + j], 1e-4);
            }
        }

        Assert.Equal([4L], outputs["column_sum_output"].Shape.ToArray());
        float[] columns = outputs["column_sum_output"].ToArray<float>();
        for (int c = 0; c < 4; c++)
        {
            Assert.Equal(Enumerable.Range(0, Batch).Sum(r => (double)f[(r * 4) + c]), columns[c], 1e-5);
        }

        Assert.Empty(outputs["total_output"].Shape.ToArray());
        Assert.Equal(f.Sum(v => (double)v), outputs["total_output"].GetData<float>()[0], 1e-5);
    }
}
