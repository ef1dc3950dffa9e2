using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Embeddings.TestSupport;

namespace Embeddings.Local;

public sealed class OnnxInitializerReaderTests
{
    [Fact]
    public void ReadScalars_TinySiglip2CombinedModel_ReadsTheGeneratorsLogitScaleAndBias()
    {
        JsonElement manifest = Manifest("siglip2");
        string path = Path.Combine(LocalTestModels.Folder("siglip2"), "onnx", "model.onnx");

        Dictionary<string, double> scalars = OnnxInitializerReader.ReadScalars(path, ["logit_scale", "logit_bias"]);

        Assert.Equal(manifest.GetProperty("logit_scale").GetDouble(), scalars["logit_scale"], 6);
        Assert.Equal(manifest.GetProperty("logit_bias").GetDouble(), scalars["logit_bias"], 6);
    }

    [Fact]
    public void ReadScalars_TinyClipCombinedModel_ReadsLogitScale()
    {
        JsonElement manifest = Manifest("clip");
        string path = Path.Combine(LocalTestModels.Folder("clip"), "onnx", "model.onnx");

        Dictionary<string, double> scalars = OnnxInitializerReader.ReadScalars(path, ["logit_scale", "logit_bias"]);

        Assert.Equal(manifest.GetProperty("logit_scale").GetDouble(), scalars["logit_scale"], 5);
        Assert.False(scalars.ContainsKey("logit_bias"));
    }

    [Fact]
    public void ReadScalars_PrefixedInitializerConstantNodeAndHalf_AreFound()
    {
        using var file = new TempFile();
        byte[] model = Model(Graph(
            Node("Constant", "logit_bias", Attribute("value", Tensor("", dataType: 1, dims: [], floatData: [-10.25f]))),
            Initializer(Tensor("text.logit_scale", dataType: 10, dims: [1], raw: BitConverter.GetBytes((Half)2.5))),
            Initializer(Tensor("other_logit_scale", dataType: 1, dims: [], raw: BitConverter.GetBytes(9f))),
            Initializer(Tensor("big", dataType: 1, dims: [4], raw: new byte[16]))));
        File.WriteAllBytes(file.Path, model);

        Dictionary<string, double> scalars = OnnxInitializerReader.ReadScalars(file.Path, ["logit_scale", "logit_bias"]);

        Assert.Equal(2.5, scalars["logit_scale"]);
        Assert.Equal(-10.25, scalars["logit_bias"]);
    }

    [Fact]
    public void ReadScalars_MatchingNameThatIsNotAScalar_Throws()
    {
        using var file = new TempFile();
        File.WriteAllBytes(file.Path, Model(Graph(Initializer(Tensor("logit_scale", dataType: 1, dims: [2], raw: new byte[8])))));

        Assert.Throws<InvalidDataException>(() => OnnxInitializerReader.ReadScalars(file.Path, ["logit_scale"]));
    }

    [Fact]
    public void ReadScalars_TruncatedFile_ThrowsInvalidData()
    {
        using var file = new TempFile();
        byte[] model = Model(Graph(Initializer(Tensor("logit_scale", dataType: 1, dims: [], raw: BitConverter.GetBytes(1f)))));
        File.WriteAllBytes(file.Path, model[..^3]);

        Assert.Throws<InvalidDataException>(() => OnnxInitializerReader.ReadScalars(file.Path, ["logit_scale"]));
    }

    private static JsonElement Manifest(string model)
    {
        string path = Path.Combine(TestAssets.RepoRoot, "artifacts", "models", "tiny", "models.json");
        return JsonDocument.Parse(File.ReadAllBytes(path)).RootElement.GetProperty(model);
    }

    // A protobuf writer for the few ONNX messages these tests need (field numbers from onnx.proto).
    private static byte[] Model(byte[] graph) => Concat(VarintField(1, 8), Bytes(7, graph));

    private static byte[] Graph(params byte[][] parts) => Concat(parts);

    private static byte[] Initializer(byte[] tensor) => Bytes(5, tensor);

    private static byte[] Node(string opType, string output, byte[] attribute) =>
        Bytes(1, Concat(Bytes(2, Encoding.UTF8.GetBytes(output)), Bytes(4, Encoding.UTF8.GetBytes(opType)), Bytes(5, attribute)));

    private static byte[] Attribute(string name, byte[] tensor) => Concat(Bytes(1, Encoding.UTF8.GetBytes(name)), Bytes(5, tensor), VarintField(20, 4));

    private static byte[] Tensor(string name, int dataType, long[] dims, byte[]? raw = null, float[]? floatData = null)
    {
        var parts = new List<byte[]>();
        parts.AddRange(dims.Select(d => VarintField(1, (ulong)d)));
        parts.Add(VarintField(2, (ulong)dataType));
        if (floatData is not null)
        {
            byte[] packed = new byte[floatData.Length * 4];
            for (int i = 0; i < floatData.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(packed.AsSpan(i * 4), floatData[i]);
            }

            parts.Add(Bytes(4, packed));
        }

        if (name.Length > 0)
        {
            parts.Add(Bytes(8, Encoding.UTF8.GetBytes(name)));
        }

        if (raw is not null)
        {
            parts.Add(Bytes(9, raw));
        }

        return Concat([.. parts]);
    }

    private static byte[] Bytes(int field, byte[] value) => Concat(Varint(((ulong)field << 3) | 2), Varint((ulong)value.Length), value);

    private static byte[] VarintField(int field, ulong value) => Concat(Varint((ulong)field << 3), Varint(value));

    private static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value != 0 ? (byte)(b | 0x80) : b);
        }
        while (value != 0);
        return [.. bytes];
    }

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    private sealed class TempFile : IDisposable
    {
        public string Path { get; } = System.IO.Path.GetTempFileName();

        public void Dispose() => File.Delete(Path);
    }
}
