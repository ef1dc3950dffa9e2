using System.Text;

namespace Embeddings.Remote;

public sealed class EmbeddingResponseReaderTests
{
    private static ParsedEmbeddings Read(string json) => EmbeddingResponseReader.Read(Encoding.UTF8.GetBytes(json));

    private static string Fails(string json) => Assert.Throws<RemoteResponseException>(() => Read(json)).Message;

    [Fact]
    public void Read_Rank1_IsOneVector()
    {
        ParsedEmbeddings parsed = Read("[0.5, -1, 2e-3]");

        Assert.Equal([[0.5f, -1f, 0.002f]], parsed.Vectors);
        Assert.False(parsed.WasTokenLevel);
    }

    [Fact]
    public void Read_Rank2_IsOneVectorPerItem()
    {
        Assert.Equal([[1f, 2f], [3f, 4f]], Read("[[1,2],[3,4]]").Vectors);
    }

    [Fact]
    public void Read_Rank3_IsMeanPooledPerItem()
    {
        ParsedEmbeddings parsed = Read("[[[1,2],[3,6]],[[5,5]]]");

        Assert.Equal([[2f, 4f], [5f, 5f]], parsed.Vectors);
        Assert.True(parsed.WasTokenLevel);
    }

    [Fact]
    public void Read_EmptyList_IsNoVectors()
    {
        Assert.Empty(Read("[]").Vectors);
    }

    [Theory]
    [InlineData("""{"embeddings": [[1,2],[3,4]]}""")]
    [InlineData("""{"model": "m", "embeddings": [[1,2],[3,4]], "extra": {"a": [1]}}""")]
    [InlineData("""[{"embedding": [1,2]}, {"embedding": [3,4]}]""")]
    [InlineData("""{"object":"list","data":[{"index":1,"embedding":[3,4]},{"index":0,"embedding":[1,2]}],"model":"m"}""")]
    [InlineData("""{"data":[{"embedding":"AACAPwAAAEA="},{"embedding":"AABAQAAAgEA="}]}""")]
    public void Read_WrappedShapes_GiveTheVectorsInInputOrder(string json)
    {
        Assert.Equal([[1f, 2f], [3f, 4f]], Read(json).Vectors);
    }

    [Fact]
    public void Read_OpenAIUsage_GivesThePromptTokens()
    {
        Assert.Equal(42, Read("""{"data":[{"index":0,"embedding":[1]}],"usage":{"prompt_tokens":42,"total_tokens":42}}""").PromptTokens);
    }

    [Theory]
    [InlineData("[1, NaN, 2]", "non-finite")]
    [InlineData("[1, Infinity]", "non-finite")]
    [InlineData("[1, -Infinity]", "non-finite")]
    [InlineData("[1, 1e39]", "non-finite")]
    [InlineData("[[1, 2], [3, \"4\"]]", "expected a number")]
    [InlineData("[[1, 2], [[3, 4]]]", "nested inconsistently")]
    [InlineData("[[1, 2], []]", "a vector is empty")]
    [InlineData("[[1, 2], [3, 4]", "not valid JSON")]
    [InlineData("[[1, 2]] trailing", "not valid JSON")]
    [InlineData("\"just a string\"", "expected a JSON array or object")]
    [InlineData("{\"error\": \"Model is loading\"}", "error object")]
    [InlineData("{\"result\": [1, 2]}", "no 'embeddings'")]
    [InlineData("[{\"label\": \"cat\", \"score\": 0.9}]", "no 'embedding' field")]
    [InlineData("{\"data\":[{\"index\":0,\"embedding\":[1]},{\"index\":0,\"embedding\":[2]}]}", "not a permutation")]
    [InlineData("{\"data\":[{\"index\":5,\"embedding\":[1]}]}", "not a permutation")]
    [InlineData("{\"data\":[{\"embedding\":\"AAA=\"}]}", "whole number of float32")]
    [InlineData("{\"data\":[{\"embedding\":\"not base64!\"}]}", "not base64")]
    [InlineData("[[[1, 2], [3]]]", "differ in length")]
    public void Read_InvalidResponses_AreRejectedWithAReason(string json, string reason)
    {
        Assert.Contains(reason, Fails(json), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Base64NonFinite_IsRejected()
    {
        string nan = Convert.ToBase64String(BitConverter.GetBytes(float.NaN));
        Assert.Contains("non-finite", Fails($$"""{"data":[{"embedding":"{{nan}}"}]}"""), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_LongVector_IsReadWhole()
    {
        float[] values = [.. Enumerable.Range(0, 3000).Select(i => i / 7f)];
        string json = "[" + string.Join(',', values.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "]";

        Assert.Equal(values, Read(json).Vectors[0]);
    }

    [Theory]
    [InlineData("""{"error":"Model too busy","error_type":"Overloaded"}""", "Model too busy")]
    [InlineData("""{"error":{"message":"Invalid API key","type":"auth"}}""", "Invalid API key")]
    [InlineData("""{"detail":"Not Found"}""", "Not Found")]
    [InlineData("""{"message":"quota exceeded"}""", "quota exceeded")]
    [InlineData("Bad token", "Bad token")]
    public void ReadErrorMessage_KnownShapes_GiveTheMessage(string body, string expected)
    {
        Assert.Equal(expected, EmbeddingResponseReader.ReadErrorMessage(Encoding.UTF8.GetBytes(body)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("<html><body>502</body></html>")]
    [InlineData("""{"status":"down"}""")]
    public void ReadErrorMessage_NoMessage_GivesNull(string body)
    {
        Assert.Null(EmbeddingResponseReader.ReadErrorMessage(Encoding.UTF8.GetBytes(body)));
    }
}
