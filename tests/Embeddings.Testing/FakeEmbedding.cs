using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Embeddings.TestSupport;

/// <summary>
/// The deterministic "model" of <see cref="FaultInjectingServer"/>: a vector derived from a hash of the input, so a
/// test can compute the vector any input must get. Values lie in [-1, 1) and are not normalized.
/// </summary>
internal static class FakeEmbedding
{
    /// <summary>The vector for a text (with the prompt name the request named, if any).</summary>
    public static float[] ForText(string text, int dimensions, string? promptName = null) =>
        FromSeed(Encoding.UTF8.GetBytes($"text|{promptName}|{text}"), dimensions);

    /// <summary>The vector for an encoded image's bytes.</summary>
    public static float[] ForImage(ReadOnlySpan<byte> encoded, int dimensions)
    {
        byte[] seed = new byte[encoded.Length + 6];
        "image|"u8.CopyTo(seed);
        encoded.CopyTo(seed.AsSpan(6));
        return FromSeed(seed, dimensions);
    }

    /// <summary>L2-normalizes a copy of a vector.</summary>
    public static float[] Normalized(float[] vector)
    {
        float norm = System.Numerics.Tensors.TensorPrimitives.Norm(vector);
        float[] copy = (float[])vector.Clone();
        System.Numerics.Tensors.TensorPrimitives.Divide(copy, norm, copy);
        return copy;
    }

    private static float[] FromSeed(byte[] seed, int dimensions)
    {
        byte[] key = SHA256.HashData(seed);
        float[] vector = new float[dimensions];
        Span<byte> block = stackalloc byte[32];
        Span<byte> counter = stackalloc byte[4];
        for (int i = 0; i < dimensions; i += 8)
        {
            BinaryPrimitives.WriteInt32LittleEndian(counter, i);
            HMACSHA256.HashData(key, counter, block);
            for (int k = 0; k < 8 && i + k < dimensions; k++)
            {
                uint bits = BinaryPrimitives.ReadUInt32LittleEndian(block[(k * 4)..]);
                vector[i + k] = (float)((bits / 4294967296.0 * 2.0) - 1.0);
            }
        }

        return vector;
    }
}
