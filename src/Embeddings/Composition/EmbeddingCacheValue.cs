using System.Buffers.Binary;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Embeddings.Composition;

/// <summary>
/// The stored form of a vector: a 16-byte header (format version, element type, dimension count, a check of the
/// key's model part) followed by float32 little-endian values. Anything that does not match is a miss.
/// </summary>
internal static class EmbeddingCacheValue
{
    /// <summary>The size of the header.</summary>
    public const int HeaderBytes = 16;

    /// <summary>The current format; a reader ignores values of any other.</summary>
    public const byte FormatVersion = 1;

    private const byte Float32LittleEndian = 1;

    /// <summary>Gets the stored size of a vector.</summary>
    public static int SizeOf(int dimensions) => HeaderBytes + (dimensions * sizeof(float));

    /// <summary>Writes a vector with its header.</summary>
    public static byte[] Serialize(ReadOnlySpan<float> vector, ulong check)
    {
        byte[] value = new byte[SizeOf(vector.Length)];
        Span<byte> span = value;
        span[0] = FormatVersion;
        span[1] = Float32LittleEndian;
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], vector.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(span[8..], check);
        Span<byte> payload = span[HeaderBytes..];
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(vector).CopyTo(payload);
        }
        else
        {
            for (int i = 0; i < vector.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(payload[(i * sizeof(float))..], vector[i]);
            }
        }

        return value;
    }

    /// <summary>Reads a vector, or returns <see langword="null"/> when the value is not one this key can use: another
    /// format, a truncated or padded payload, another model part (check), or non-finite values.</summary>
    public static float[]? TryDeserialize(ReadOnlySpan<byte> value, ulong check)
    {
        if (value.Length < HeaderBytes || value[0] != FormatVersion || value[1] != Float32LittleEndian
            || value[2] != 0 || value[3] != 0)
        {
            return null;
        }

        int dimensions = BinaryPrimitives.ReadInt32LittleEndian(value[4..]);
        if (dimensions <= 0 || (long)dimensions * sizeof(float) != value.Length - HeaderBytes
            || BinaryPrimitives.ReadUInt64LittleEndian(value[8..]) != check)
        {
            return null;
        }

        ReadOnlySpan<byte> payload = value[HeaderBytes..];
        float[] vector = new float[dimensions];
        if (BitConverter.IsLittleEndian)
        {
            payload.CopyTo(MemoryMarshal.AsBytes(vector.AsSpan()));
        }
        else
        {
            for (int i = 0; i < vector.Length; i++)
            {
                vector[i] = BinaryPrimitives.ReadSingleLittleEndian(payload[(i * sizeof(float))..]);
            }
        }

        return TensorPrimitives.IsFiniteAll<float>(vector) ? vector : null;
    }
}
