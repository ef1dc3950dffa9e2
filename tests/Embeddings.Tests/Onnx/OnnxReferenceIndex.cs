using System.Text.Json;
using System.Text.Json.Serialization;
using Embeddings.TestSupport;

namespace Embeddings.Onnx;

/// <summary>The index eng/references/onnx/generate.mjs writes: per model, onnxruntime-node's view of its inputs and
/// outputs, and the raw input and output tensors of one run.</summary>
internal sealed record OnnxReferenceIndex(string Version, IReadOnlyList<OnnxReferenceModel> Models)
{
    private static readonly Lazy<OnnxReferenceIndex> s_index = new(() =>
    {
        string path = Path.Combine(Folder, "index.json");
        Assert.True(File.Exists(path), $"{path} is missing: run eng/references/onnx/generate.sh (eng/prepare.sh runs it)");
        return JsonSerializer.Deserialize<OnnxReferenceIndex>(File.ReadAllText(path), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    });

    public static string Folder => TestAssets.ReferencesDir("onnx");

    public static OnnxReferenceIndex Load() => s_index.Value;

    public OnnxReferenceModel Model(string key) => Models.Single(m => m.Model == key);
}

/// <summary>One model's reference run.</summary>
internal sealed record OnnxReferenceModel(
    string Model,
    IReadOnlyList<OnnxReferenceMetadata> InputMetadata,
    IReadOnlyList<OnnxReferenceMetadata> OutputMetadata,
    IReadOnlyList<OnnxReferenceTensor> Inputs,
    IReadOnlyList<OnnxReferenceTensor> Outputs);

/// <summary>onnxruntime-node's metadata of an input or output: shape entries are numbers or symbolic names.</summary>
internal sealed record OnnxReferenceMetadata(string Name, bool IsTensor, string? Type, IReadOnlyList<JsonElement>? Shape);

/// <summary>A tensor written as raw little-endian bytes.</summary>
internal sealed record OnnxReferenceTensor(string Name, string Type, long[] Shape, string File)
{
    [JsonIgnore]
    public OnnxElementType ElementType => Type switch
    {
        "float32" => OnnxElementType.Float,
        "int64" => OnnxElementType.Int64,
        "int32" => OnnxElementType.Int32,
        "float16" => OnnxElementType.Float16,
        "bool" => OnnxElementType.Bool,
        _ => throw new NotSupportedException(Type),
    };

    public byte[] ReadBytes() => System.IO.File.ReadAllBytes(Path.Combine(OnnxReferenceIndex.Folder, File));

    /// <summary>Creates an input tensor over the reference bytes.</summary>
    public OnnxTensor ToTensor()
    {
        byte[] bytes = ReadBytes();
        return ElementType switch
        {
            OnnxElementType.Float => OnnxTensor.Create(Cast<float>(bytes), Shape),
            OnnxElementType.Int64 => OnnxTensor.Create(Cast<long>(bytes), Shape),
            OnnxElementType.Int32 => OnnxTensor.Create(Cast<int>(bytes), Shape),
            OnnxElementType.Float16 => OnnxTensor.Create(Cast<Half>(bytes), Shape),
            OnnxElementType.Bool => OnnxTensor.Create(Cast<bool>(bytes), Shape),
            _ => throw new NotSupportedException(Type),
        };
    }

    private static T[] Cast<T>(byte[] bytes)
        where T : unmanaged => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(bytes).ToArray();
}
