using Microsoft.Extensions.Logging;

namespace Embeddings.Onnx;

/// <summary>Hand-written models for what the generated ones do not exercise.</summary>
public sealed class OnnxSessionEdgeCaseTests(ITestOutputHelper output)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public void Create_ModelTheRuntimeWarnsAbout_SendsTheWarningToTheSessionsLogger()
    {
        var entries = new List<(LogLevel Level, int Id, string Message)>();
        var logger = new RecordingLogger((level, id, message) =>
        {
            lock (entries)
            {
                entries.Add((level, id.Id, message));
            }
        });

        using OnnxSession session = OnnxSession.Create(OnnxModelBytes.IdentityWithUnusedInitializer(), "unused-initializer", OnnxTestModels.Options(), logger);

        lock (entries)
        {
            foreach (var entry in entries)
            {
                output.WriteLine($"{entry.Level} {entry.Id}: {entry.Message}");
            }

            Assert.Contains(entries, e => e.Id == 2000 && e.Level == LogLevel.Warning && e.Message.Contains("unused_weight", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Run_IdentityModelFromBytes_ReturnsTheInput()
    {
        using OnnxSession session = OnnxSession.Create(OnnxModelBytes.IdentityWithUnusedInitializer(), "identity", OnnxTestModels.Options());
        float[] x = [1.5f, -2f, 3.25f, 0f, float.MaxValue, float.Epsilon];
        using OnnxTensor input = OnnxTensor.Create(x, [3, 2]);

        using OnnxOutputs outputs = session.Run(["x"], [input], [], Token);

        Assert.Equal("x: float[n,2]", session.Inputs[0].ToString());
        Assert.Equal(x, outputs["y"].ToArray<float>());
        Assert.Equal([3L, 2L], outputs["y"].Shape.ToArray());
    }

    [Fact]
    public void Run_OutputOfAnUnsupportedElementType_ThrowsNamingTheOutputAndItsType()
    {
        using OnnxSession session = OnnxSession.Create(OnnxModelBytes.CastToDouble(), "cast-to-double", OnnxTestModels.Options());
        using OnnxTensor input = OnnxTensor.Create(new float[4], [2, 2]);

        var ex = Assert.Throws<EmbeddingInferenceException>(() => session.Run(["x"], [input], [], Token));

        Assert.Equal(OnnxElementType.Double, session.Outputs[0].ElementType);
        Assert.Contains("Output 'y' of model 'cast-to-double'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("double", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_OutputThatIsNotATensor_ThrowsAndMetadataSaysSo()
    {
        using OnnxSession session = OnnxSession.Create(OnnxModelBytes.SequenceOutput(), "sequence-output", OnnxTestModels.Options());
        using OnnxTensor input = OnnxTensor.Create(new float[4], [2, 2]);

        var ex = Assert.Throws<EmbeddingInferenceException>(() => session.Run(["x"], [input], [], Token));

        Assert.False(session.Outputs[0].IsTensor);
        Assert.Equal("y: (not a tensor)", session.Outputs[0].ToString());
        Assert.Contains("output 'y' of model 'sequence-output'", ex.Message, StringComparison.Ordinal);
    }
}
