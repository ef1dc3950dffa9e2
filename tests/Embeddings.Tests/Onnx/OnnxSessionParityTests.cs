using System.Text.Json;
using Embeddings.TestSupport;

namespace Embeddings.Onnx;

/// <summary>Every generated tiny model, run through this binding, against onnxruntime-node on the same inputs.</summary>
public sealed class OnnxSessionParityTests(ITestOutputHelper output)
{
    public static TheoryData<string> Models() => new(OnnxReferenceIndex.Load().Models.Select(m => m.Model));

    [Fact]
    public void ReferenceIndex_CoversEveryGeneratedTinyModel()
    {
        string root = Path.Combine(TestAssets.RepoRoot, "artifacts", "models", "tiny");
        string[] onDisk = Directory.EnumerateFiles(root, "*.onnx", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal).ToArray();

        Assert.NotEmpty(onDisk);
        Assert.Equal(onDisk, OnnxReferenceIndex.Load().Models.Select(m => m.Model).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Metadata_MatchesOnnxRuntimeNode(string model)
    {
        OnnxReferenceModel reference = OnnxReferenceIndex.Load().Model(model);
        using OnnxSession session = OnnxSession.Create(ModelPath(model), OnnxTestModels.Options());

        AssertSameMetadata(reference.InputMetadata, session.Inputs);
        AssertSameMetadata(reference.OutputMetadata, session.Outputs);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Run_OutputsEqualOnnxRuntimeNode(string model)
    {
        OnnxReferenceModel reference = OnnxReferenceIndex.Load().Model(model);
        using OnnxSession session = OnnxSession.Create(ModelPath(model), OnnxTestModels.Options());
        OnnxTensor[] tensors = reference.Inputs.Select(i => i.ToTensor()).ToArray();
        try
        {
            using OnnxOutputs outputs = session.Run(reference.Inputs.Select(i => i.Name).ToArray(), tensors,
                reference.Outputs.Select(o => o.Name).ToArray(), TestContext.Current.CancellationToken);

            double worst = 0;
            int identical = 0;
            for (int i = 0; i < reference.Outputs.Count; i++)
            {
                OnnxReferenceTensor expected = reference.Outputs[i];
                byte[] bytes = expected.ReadBytes();
                worst = Math.Max(worst, OnnxAssert.Equal(expected.Name, expected.ElementType, expected.Shape, bytes, outputs[i], tolerance: 1e-6));
                identical += BitIdentical(bytes, outputs[i]) ? 1 : 0;
            }

            output.WriteLine($"{model}: {reference.Outputs.Count} outputs, {identical} bit-identical, largest difference {worst:E2}");
        }
        finally
        {
            foreach (OnnxTensor tensor in tensors)
            {
                tensor.Dispose();
            }
        }
    }

    private static string ModelPath(string model) => OnnxTestModels.Tiny(model);

    private static bool BitIdentical(byte[] expected, OnnxOutput actual) => actual.ElementType switch
    {
        OnnxElementType.Float => expected.AsSpan().SequenceEqual(System.Runtime.InteropServices.MemoryMarshal.AsBytes(actual.GetData<float>())),
        OnnxElementType.Float16 => expected.AsSpan().SequenceEqual(System.Runtime.InteropServices.MemoryMarshal.AsBytes(actual.GetData<Half>())),
        _ => true,
    };

    private static void AssertSameMetadata(IReadOnlyList<OnnxReferenceMetadata> expected, IReadOnlyList<OnnxTensorInfo> actual)
    {
        Assert.Equal(expected.Select(e => e.Name), actual.Select(a => a.Name));
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].IsTensor, actual[i].IsTensor);
            if (!expected[i].IsTensor)
            {
                continue;
            }

            Assert.Equal(expected[i].Type, NodeTypeName(actual[i].ElementType));
            string[] expectedShape = expected[i].Shape!.Select(d => d.ValueKind == JsonValueKind.Number ? d.GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture) : d.GetString()!).ToArray();
            string[] actualShape = actual[i].Shape.Select((d, k) => d >= 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture) : actual[i].DimensionNames[k]).ToArray();
            Assert.Equal(expectedShape, actualShape);
        }
    }

    private static string NodeTypeName(OnnxElementType type) => type == OnnxElementType.Float ? "float32" : OnnxElementTypes.Name(type);
}
