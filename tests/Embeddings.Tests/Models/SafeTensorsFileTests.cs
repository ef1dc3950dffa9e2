using System.Buffers.Binary;

namespace Embeddings.Models;

public sealed class SafeTensorsFileTests
{
    [Fact]
    public void LoadWeights_F32WeightAndBias_ReadInPyTorchLayout()
    {
        using var temp = new TempFolder();
        string path = Path.Combine(temp.Path, "model.safetensors");
        float[] weight = [1f, -2f, 3.5f, 0.25f, -0.125f, 6f]; // [out 2, in 3]
        SafeTensorsWriter.Write(path,
            ("linear.bias", "F32", [2], SafeTensorsWriter.F32(0.5f, -1.5f)),
            ("linear.weight", "F32", [2, 3], SafeTensorsWriter.F32(weight)));

        DenseLayerWeights loaded = new DenseLayerConfig("2_Dense", 3, 2, true, DenseActivation.Tanh, path).LoadWeights("m");

        Assert.Equal(weight, loaded.Weight);
        Assert.Equal([0.5f, -1.5f], loaded.Bias!);
        Assert.Equal(3, loaded.InFeatures);
        Assert.Equal(2, loaded.OutFeatures);
    }

    [Fact]
    public void ReadFloat32_HalfAndBFloat16_ConvertedExactly()
    {
        using var temp = new TempFolder();
        string path = Path.Combine(temp.Path, "w.safetensors");
        float[] values = [1f, -0.5f, 3f, 1024f];
        SafeTensorsWriter.Write(path,
            ("h", "F16", [4], SafeTensorsWriter.F16(values)),
            ("b", "BF16", [2, 2], SafeTensorsWriter.BF16(values)));

        SafeTensorsFile file = SafeTensorsFile.Open(path, "m");

        Assert.Equal(values, file.ReadFloat32("h", 4));
        Assert.Equal(values, file.ReadFloat32("b", 2, 2));
    }

    [Fact]
    public void LoadWeights_WrongShape_NamesBothShapes()
    {
        using var temp = new TempFolder();
        string path = Path.Combine(temp.Path, "model.safetensors");
        SafeTensorsWriter.Write(path, ("linear.weight", "F32", [3, 2], SafeTensorsWriter.F32(new float[6])));

        var ex = Assert.Throws<EmbeddingModelException>(() => new DenseLayerConfig("2_Dense", 3, 2, false, DenseActivation.Identity, path).LoadWeights("m"));

        Assert.Contains("[3, 2]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("expected [2, 3]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadWeights_UnsupportedDType_Throws()
    {
        using var temp = new TempFolder();
        string path = Path.Combine(temp.Path, "model.safetensors");
        SafeTensorsWriter.Write(path, ("linear.weight", "F64", [1, 1], new byte[8]));

        var ex = Assert.Throws<EmbeddingModelException>(() => new DenseLayerConfig("2_Dense", 1, 1, false, DenseActivation.Identity, path).LoadWeights("m"));

        Assert.Contains("F64", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadWeights_BiasMissingOrUnexpected_Throws()
    {
        using var temp = new TempFolder();
        string path = Path.Combine(temp.Path, "model.safetensors");
        SafeTensorsWriter.Write(path, ("linear.weight", "F32", [1, 1], SafeTensorsWriter.F32(1f)));
        Assert.Contains("linear.bias", Assert.Throws<EmbeddingModelException>(
            () => new DenseLayerConfig("2_Dense", 1, 1, true, DenseActivation.Identity, path).LoadWeights("m")).Message, StringComparison.Ordinal);

        SafeTensorsWriter.Write(path, ("linear.weight", "F32", [1, 1], SafeTensorsWriter.F32(1f)), ("linear.bias", "F32", [1], SafeTensorsWriter.F32(1f)));
        Assert.Contains("no bias", Assert.Throws<EmbeddingModelException>(
            () => new DenseLayerConfig("2_Dense", 1, 1, false, DenseActivation.Identity, path).LoadWeights("m")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadWeights_NoWeightsFile_SaysWhatIsMissing()
    {
        var ex = Assert.Throws<EmbeddingModelException>(() => new DenseLayerConfig("3_Dense", 1, 1, false, DenseActivation.Identity, null).LoadWeights("m"));

        Assert.Contains("3_Dense/model.safetensors", ex.Message, StringComparison.Ordinal);
        Assert.Contains("sentence_embedding", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)] // header length larger than the file
    [InlineData(1)] // data range past the end
    [InlineData(2)] // byte count does not match the shape
    [InlineData(3)] // not JSON
    [InlineData(4)] // truncated before the header length
    public void Open_Malformed_ThrowsModelException(int damage)
    {
        using var temp = new TempFolder();
        string path = Path.Combine(temp.Path, "bad.safetensors");
        SafeTensorsWriter.Write(path, ("t", "F32", [2], SafeTensorsWriter.F32(1f, 2f)));
        byte[] bytes = File.ReadAllBytes(path);
        int headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        switch (damage)
        {
            case 0:
                BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)bytes.Length);
                break;
            case 1:
                bytes = bytes[..^4];
                break;
            case 2:
                bytes = [.. bytes, 0, 0, 0, 0];
                string header = System.Text.Encoding.UTF8.GetString(bytes, 8, headerLength).Replace("[0,8]", "[0,12]", StringComparison.Ordinal);
                Assert.Contains("[0,12]", header, StringComparison.Ordinal);
                System.Text.Encoding.UTF8.GetBytes(header).CopyTo(bytes, 8);
                break;
            case 3:
                bytes[8] = (byte)'x';
                break;
            default:
                bytes = bytes[..5];
                break;
        }

        File.WriteAllBytes(path, bytes);

        var ex = Assert.Throws<EmbeddingModelException>(() => SafeTensorsFile.Open(path, "m"));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }
}
