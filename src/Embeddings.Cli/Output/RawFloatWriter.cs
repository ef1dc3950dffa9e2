using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Embeddings.Cli.Output;

/// <summary>Writes float32 values as raw little-endian bytes.</summary>
internal static class RawFloatWriter
{
    public static void Write(Stream stream, ReadOnlySpan<float> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(values));
            return;
        }

        Span<byte> bytes = stackalloc byte[4];
        foreach (float value in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
            stream.Write(bytes);
        }
    }
}
