using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Embeddings.Models;

/// <summary>
/// Reads the safetensors format: an 8-byte little-endian header length, a JSON header naming each tensor's dtype, shape
/// and byte range, then the raw little-endian data. Floating-point tensors (F32, F16, BF16) load as float32.
/// </summary>
internal sealed class SafeTensorsFile
{
    // The format's own limit on the header size.
    private const long MaxHeaderLength = 100_000_000;

    private readonly string _path;
    private readonly string _model;
    private readonly long _dataStart;

    private SafeTensorsFile(string path, string model, long dataStart, IReadOnlyDictionary<string, SafeTensorInfo> tensors)
    {
        _path = path;
        _model = model;
        _dataStart = dataStart;
        Tensors = tensors;
    }

    /// <summary>Gets the tensors by name (the <c>__metadata__</c> entry excluded).</summary>
    public IReadOnlyDictionary<string, SafeTensorInfo> Tensors { get; }

    /// <summary>Reads and checks the header.</summary>
    /// <param name="path">The file.</param>
    /// <param name="model">The model, for error messages.</param>
    /// <exception cref="EmbeddingModelException">The file is not a well-formed safetensors file.</exception>
    public static SafeTensorsFile Open(string path, string model)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            Span<byte> prefix = stackalloc byte[8];
            stream.ReadExactly(prefix);
            ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
            if (headerLength is 0 or > MaxHeaderLength || (long)headerLength > stream.Length - 8)
            {
                throw Malformed(path, model, $"its header length ({headerLength}) does not fit the file ({stream.Length} bytes)");
            }

            byte[] header = new byte[headerLength];
            stream.ReadExactly(header);
            long dataStart = 8 + (long)headerLength;
            long dataLength = stream.Length - dataStart;
            return new SafeTensorsFile(path, model, dataStart, ParseHeader(header, dataLength, path, model));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new EmbeddingModelException(model, $"'{path}' could not be read as safetensors: {ex.Message}", ex);
        }
    }

    /// <summary>Reads a floating-point tensor as float32, checking its shape.</summary>
    /// <exception cref="EmbeddingModelException">The tensor is missing, has another shape, or is not F32, F16 or BF16.</exception>
    public float[] ReadFloat32(string name, params ReadOnlySpan<long> expectedShape)
    {
        if (!Tensors.TryGetValue(name, out SafeTensorInfo? info))
        {
            throw new EmbeddingModelException(_model, $"'{_path}' has no tensor '{name}' (it has: {string.Join(", ", Tensors.Keys.Order(StringComparer.Ordinal))}).");
        }

        if (!info.Shape.SequenceEqual(expectedShape.ToArray()))
        {
            throw new EmbeddingModelException(_model,
                $"Tensor '{name}' in '{_path}' has shape [{string.Join(", ", info.Shape)}], expected [{string.Join(", ", expectedShape.ToArray())}].");
        }

        int count = checked((int)Product(info.Shape));
        byte[] raw = new byte[info.End - info.Begin];
        using (var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            stream.Position = _dataStart + info.Begin;
            stream.ReadExactly(raw);
        }

        var values = new float[count];
        switch (info.DType)
        {
            case "F32":
                for (int i = 0; i < count; i++)
                {
                    values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.AsSpan(i * 4));
                }

                break;
            case "F16":
                for (int i = 0; i < count; i++)
                {
                    values[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(raw.AsSpan(i * 2));
                }

                break;
            case "BF16":
                for (int i = 0; i < count; i++)
                {
                    // bfloat16 is the upper half of a float32.
                    values[i] = BitConverter.UInt32BitsToSingle((uint)BinaryPrimitives.ReadUInt16LittleEndian(raw.AsSpan(i * 2)) << 16);
                }

                break;
            default:
                throw new EmbeddingModelException(_model,
                    $"Tensor '{name}' in '{_path}' is {info.DType}; only F32, F16 and BF16 weights are supported.");
        }

        return values;
    }

    private static Dictionary<string, SafeTensorInfo> ParseHeader(byte[] header, long dataLength, string path, string model)
    {
        using JsonDocument document = JsonDocument.Parse(header);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw Malformed(path, model, "its header is not a JSON object");
        }

        var tensors = new Dictionary<string, SafeTensorInfo>(StringComparer.Ordinal);
        foreach (JsonProperty property in document.RootElement.EnumerateObject())
        {
            if (property.Name == "__metadata__")
            {
                continue;
            }

            JsonElement entry = property.Value;
            if (entry.ValueKind != JsonValueKind.Object
                || !entry.TryGetProperty("dtype", out JsonElement dtype) || dtype.ValueKind != JsonValueKind.String
                || !entry.TryGetProperty("shape", out JsonElement shape) || shape.ValueKind != JsonValueKind.Array
                || !entry.TryGetProperty("data_offsets", out JsonElement offsets) || offsets.ValueKind != JsonValueKind.Array
                || offsets.GetArrayLength() != 2)
            {
                throw Malformed(path, model, $"tensor '{property.Name}' lacks dtype, shape or data_offsets");
            }

            long[] dims = [.. shape.EnumerateArray().Select(d => d.GetInt64())];
            long begin = offsets[0].GetInt64();
            long end = offsets[1].GetInt64();
            string type = dtype.GetString()!;
            if (dims.Any(d => d < 0) || begin < 0 || end < begin || end > dataLength)
            {
                throw Malformed(path, model, $"tensor '{property.Name}' has a shape or byte range outside the file");
            }

            if (ElementSize(type) is int size && Product(dims) * size != end - begin)
            {
                throw Malformed(path, model, $"tensor '{property.Name}' has {end - begin} bytes for shape [{string.Join(", ", dims)}] of {type}");
            }

            tensors[property.Name] = new SafeTensorInfo(type, dims, begin, end);
        }

        return tensors;
    }

    private static int? ElementSize(string dtype) => dtype switch
    {
        "F64" or "I64" or "U64" => 8,
        "F32" or "I32" or "U32" => 4,
        "F16" or "BF16" or "I16" or "U16" => 2,
        "I8" or "U8" or "BOOL" or "F8_E4M3" or "F8_E5M2" => 1,
        _ => null,
    };

    private static long Product(IEnumerable<long> dims)
    {
        long product = 1;
        foreach (long d in dims)
        {
            product = checked(product * d);
        }

        return product;
    }

    private static EmbeddingModelException Malformed(string path, string model, string detail) =>
        new(model, $"'{path}' is not a valid safetensors file: {detail}.");
}
