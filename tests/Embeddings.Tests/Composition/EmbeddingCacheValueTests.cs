namespace Embeddings.Composition;

public sealed class EmbeddingCacheValueTests
{
    [Fact]
    public void Serialize_WritesHeaderThenFloat32LittleEndian()
    {
        byte[] value = EmbeddingCacheValue.Serialize([1.0f, -2.5f], 0x0102030405060708);

        // Version 1, element type 1 (float32 LE), two reserved bytes, dimension count, check, then IEEE 754 values.
        byte[] expected =
        [
            1, 1, 0, 0,
            2, 0, 0, 0,
            0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01,
            0x00, 0x00, 0x80, 0x3F,
            0x00, 0x00, 0x20, 0xC0,
        ];
        Assert.Equal(expected, value);
        Assert.Equal(value.Length, EmbeddingCacheValue.SizeOf(2));
    }

    [Fact]
    public void TryDeserialize_ItsOwnValue_RoundTripsExactly()
    {
        float[] vector = [.. Enumerable.Range(0, 768).Select(i => MathF.Sin(i) * 1e-3f)];
        vector[5] = float.Epsilon;
        vector[6] = -0.0f;

        float[]? read = EmbeddingCacheValue.TryDeserialize(EmbeddingCacheValue.Serialize(vector, 42), 42);

        Assert.NotNull(read);
        Assert.Equal(
            vector.Select(BitConverter.SingleToInt32Bits),
            read.Select(BitConverter.SingleToInt32Bits));
    }

    public static TheoryData<string> Damages => ["short header", "wrong version", "wrong type", "reserved set", "zero dimensions", "dimension count too large", "extra byte", "missing byte", "other check", "infinity"];

    [Theory]
    [MemberData(nameof(Damages))]
    public void TryDeserialize_DamagedOrForeignValue_ReturnsNull(string damage)
    {
        byte[] value = EmbeddingCacheValue.Serialize([1f, 2f, 3f], 7);
        switch (damage)
        {
            case "short header": value = value[..10]; break;
            case "wrong version": value[0] = 2; break;
            case "wrong type": value[1] = 2; break;
            case "reserved set": value[3] = 1; break;
            case "zero dimensions": value[4] = 0; break;
            case "dimension count too large": value[4] = 4; break;
            case "extra byte": value = [.. value, 0]; break;
            case "missing byte": value = value[..^1]; break;
            case "other check": value[8] ^= 1; break;
            case "infinity": BitConverter.TryWriteBytes(value.AsSpan(20), float.PositiveInfinity); break;
            default: throw new ArgumentOutOfRangeException(nameof(damage));
        }

        Assert.Null(EmbeddingCacheValue.TryDeserialize(value, 7));
    }
}
