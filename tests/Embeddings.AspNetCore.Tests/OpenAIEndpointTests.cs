using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;
using Embeddings.AspNetCore.TestSupport;
using Embeddings.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Embeddings.AspNetCore;

/// <summary><c>POST /v1/embeddings</c> and <c>/embeddings</c>: OpenAI's contract, images as data URIs.</summary>
public sealed class OpenAIEndpointTests
{
    [Theory]
    [InlineData("v1/embeddings")]
    [InlineData("embeddings")]
    public async Task Embeddings_FloatFormat_ReturnsOpenAIShape(string path)
    {
        await using ServerHost host = await ServerHost.StartAsync(ServedFakes.Provider());

        using HttpResponseMessage response = await HttpJson.PostAsync(host.Client, path, """{"input": ["a", "b"], "model": "text-embedding-3-small"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement root = await HttpJson.ReadAsync(response);
        Assert.Equal("list", root.GetProperty("object").GetString());
        Assert.Equal("fake/embeddinggemma", root.GetProperty("model").GetString());
        JsonElement[] data = [.. root.GetProperty("data").EnumerateArray()];
        Assert.Equal(2, data.Length);
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal("embedding", data[i].GetProperty("object").GetString());
            Assert.Equal(i, data[i].GetProperty("index").GetInt32());
        }

        Assert.Equal(ServedFakes.Text("a"), HttpJson.Vector(data[0].GetProperty("embedding")));
        Assert.Equal(ServedFakes.Text("b"), HttpJson.Vector(data[1].GetProperty("embedding")));
        JsonElement usage = root.GetProperty("usage");
        Assert.Equal(JsonValueKind.Number, usage.GetProperty("prompt_tokens").ValueKind);
        Assert.Equal(JsonValueKind.Number, usage.GetProperty("total_tokens").ValueKind);
    }

    [Fact]
    public async Task Embeddings_Base64Format_DecodesToTheSameVector()
    {
        await using ServerHost host = await ServerHost.StartAsync(ServedFakes.Provider());

        using HttpResponseMessage response = await HttpJson.PostAsync(
            host.Client, "v1/embeddings", """{"input": "a", "model": "m", "encoding_format": "base64", "dimensions": 5}""");

        JsonElement embedding = (await HttpJson.ReadAsync(response)).GetProperty("data")[0].GetProperty("embedding");
        float[] decoded = MemoryMarshal.Cast<byte, float>(Convert.FromBase64String(embedding.GetString()!)).ToArray();
        Assert.Equal(ServedFakes.Text("a", dimensions: 5), decoded);
    }

    [Fact]
    public async Task Embeddings_ImageDataUriAmongTexts_EmbedsEachWithItsModality()
    {
        byte[] image = await File.ReadAllBytesAsync(Path.Combine(TestAssets.ImagesDir, "cat_chelsea.png"), TestContext.Current.CancellationToken);
        await using ServerHost host = await ServerHost.StartAsync(ServedFakes.Provider(ServedFakes.SiglipLike));
        string body = $$"""{"input": ["a photo of a cat", "data:image/png;base64,{{Convert.ToBase64String(image)}}"], "model": "siglip"}""";

        using HttpResponseMessage response = await HttpJson.PostAsync(host.Client, "v1/embeddings", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement data = (await HttpJson.ReadAsync(response)).GetProperty("data");
        Assert.Equal(ServedFakes.Text("a photo of a cat", metadata: ServedFakes.SiglipLike), HttpJson.Vector(data[0].GetProperty("embedding")));
        Assert.Equal(ServedFakes.Image(image), HttpJson.Vector(data[1].GetProperty("embedding")));
    }

    [Fact]
    public async Task Embeddings_SeparateTextAndImageProviders_RouteEachInputToItsProvider()
    {
        byte[] image = await File.ReadAllBytesAsync(Path.Combine(TestAssets.ImagesDir, "cat_chelsea.png"), TestContext.Current.CancellationToken);
        TestEmbeddingProvider text = ServedFakes.Provider();
        TestEmbeddingProvider vision = ServedFakes.Provider(ServedFakes.SiglipLike);
        await using ServerHost host = await ServerHost.StartAsync(services =>
        {
            services.AddKeyedSingleton<IEmbeddingProvider>(DependencyInjection.EmbeddingsServiceKeys.Text, text);
            services.AddKeyedSingleton<IEmbeddingProvider>(DependencyInjection.EmbeddingsServiceKeys.Image, vision);
        });
        string uri = "data:image/png;base64," + Convert.ToBase64String(image);

        using HttpResponseMessage response = await HttpJson.PostAsync(host.Client, "v1/embeddings", $$"""{"input": ["{{uri}}", "q", "{{uri}}"], "model": "m"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement data = (await HttpJson.ReadAsync(response)).GetProperty("data");
        Assert.Equal(ServedFakes.Image(image), HttpJson.Vector(data[0].GetProperty("embedding")));
        Assert.Equal(ServedFakes.Text("q"), HttpJson.Vector(data[1].GetProperty("embedding")));
        Assert.Equal(ServedFakes.Image(image), HttpJson.Vector(data[2].GetProperty("embedding")));
        Assert.Equal(1, text.Calls);
        Assert.Equal(1, vision.Calls);
        Assert.All(vision.Batches.Single(), i => Assert.Equal(EmbeddingModalities.Image, i.Modality));
    }

    [Theory]
    [InlineData("""{"input": "a"}""", "\"model\": string")]
    [InlineData("""{"input": [[1, 2, 3]], "model": "m"}""", "\"input\": string | [string]")]
    [InlineData("""{"input": "a", "model": "m", "encoding_format": "int8"}""", "encoding_format")]
    [InlineData("""{"input": "data:image/png;base64,@@@", "model": "m"}""", "input is not valid base64")]
    public async Task Embeddings_InvalidRequest_Returns400InOpenAIErrorShape(string body, string expected)
    {
        await using ServerHost host = await ServerHost.StartAsync(ServedFakes.Provider(ServedFakes.SiglipLike));

        using HttpResponseMessage response = await HttpJson.PostAsync(host.Client, "v1/embeddings", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        JsonElement error = (await HttpJson.ReadAsync(response)).GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Contains(expected, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(error.TryGetProperty("param", out _));
        Assert.True(error.TryGetProperty("code", out _));
    }

    [Fact]
    public async Task Embeddings_Unauthorized_AnswersInOpenAIErrorShape()
    {
        await using ServerHost host = await ServerHost.StartAsync(ServedFakes.Provider());

        using HttpResponseMessage response = await HttpJson.PostAsync(host.Anonymous, "v1/embeddings", """{"input": "a", "model": "m"}""");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        JsonElement error = (await HttpJson.ReadAsync(response)).GetProperty("error");
        Assert.Equal("authentication_error", error.GetProperty("type").GetString());
    }
}
