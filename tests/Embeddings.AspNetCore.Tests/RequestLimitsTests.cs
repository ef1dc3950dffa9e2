using System.Net;
using System.Text;
using Embeddings.AspNetCore.TestSupport;
using Embeddings.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Embeddings.AspNetCore;

/// <summary>Request limits: body size, inputs per request, text length, each answered 413 before the model runs.</summary>
public sealed class RequestLimitsTests
{
    [Fact]
    public async Task Predict_BodyOverTheLimit_Returns413()
    {
        TestEmbeddingProvider provider = ServedFakes.Provider();
        await using ServerHost host = await ServerHost.StartAsync(provider, o => o.MaxRequestBodyBytes = 1024);
        string body = $$"""{"query": "{{new string('a', 2000)}}"}""";

        using HttpResponseMessage response = await HttpJson.PostAsync(host.Client, "predict", body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        (string message, string type) = await HttpJson.ReadErrorAsync(response);
        Assert.Equal("PayloadTooLarge", type);
        Assert.Contains("1024 bytes", message, StringComparison.Ordinal);
        Assert.Equal(0, provider.Calls);
    }

    [Fact]
    public async Task Predict_ChunkedBodyOverTheLimit_Returns413()
    {
        TestEmbeddingProvider provider = ServedFakes.Provider();
        await using ServerHost host = await ServerHost.StartAsync(provider, o => o.MaxRequestBodyBytes = 1024);
        byte[] body = Encoding.UTF8.GetBytes($$"""{"query": "{{new string('a', 5000)}}"}""");
        using var content = new StreamContent(new MemoryStream(body));

        // No Content-Length: the client sends the body chunked, so only counting while reading can catch it.
        using HttpResponseMessage response = await host.Client.PostAsync("predict", content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, provider.Calls);
    }

    [Fact]
    public async Task Predict_BodyExactlyAtTheLimit_IsAccepted()
    {
        await using ServerHost host = await ServerHost.StartAsync(ServedFakes.Provider(), o => o.MaxRequestBodyBytes = 100);
        string body = """{"query": ""}""".Insert(11, new string('a', 100 - 13));
        Assert.Equal(100, Encoding.UTF8.GetByteCount(body));

        using HttpResponseMessage response = await HttpJson.PostAsync(host.Client, "predict", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Predict_TooManyInputs_Returns413NamingTheLimit()
    {
        TestEmbeddingProvider provider = ServedFakes.Provider();
        await using ServerHost host = await ServerHost.StartAsync(provider, o => o.MaxInputsPerRequest = 3);

        using HttpResponseMessage response = await HttpJson.PostAsync(host.Client, "predict", """["a", "b", "c", "d"]""");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("4 inputs; at most 3", (await HttpJson.ReadErrorAsync(response)).Message, StringComparison.Ordinal);
        Assert.Equal(0, provider.Calls);
    }

    [Fact]
    public async Task Embed_TextTooLong_Returns413NamingTheInputNotItsContent()
    {
        TestEmbeddingProvider provider = ServedFakes.Provider();
        await using ServerHost host = await ServerHost.StartAsync(provider, o => o.MaxTextLength = 10);

        using HttpResponseMessage response = await HttpJson.PostAsync(host.Client, "embed", """{"inputs": ["short", "far too long a text"]}""");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        string message = (await HttpJson.ReadErrorAsync(response)).Message;
        Assert.Equal("inputs[1] is 19 characters long; at most 10 are accepted.", message);
        Assert.Equal(0, provider.Calls);
    }

    [Fact]
    public async Task Predict_LimitFromConfiguredOptions_Applies()
    {
        // Options bound in the container (for example from configuration) apply; MapEmbeddings' callback runs after.
        await using ServerHost host = await ServerHost.StartAsync(services =>
        {
            services.AddSingleton<IEmbeddingProvider>(ServedFakes.Provider());
            services.Configure<EmbeddingsEndpointOptions>(o => (o.MaxInputsPerRequest, o.PredictPromptName) = (2, "document"));
        });

        using HttpResponseMessage tooMany = await HttpJson.PostAsync(host.Client, "predict", """["a", "b", "c"]""");
        using HttpResponseMessage served = await HttpJson.PostAsync(host.Client, "predict", """["a", "b"]""");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooMany.StatusCode);
        Assert.Equal([ServedFakes.Text("a", "document"), ServedFakes.Text("b", "document")], await HttpJson.ReadVectorsAsync(served));
    }

    [Fact]
    public async Task EmbedImage_ProviderRefusesAnOversizedImage_Returns413()
    {
        TestEmbeddingProvider provider = ServedFakes.Provider(ServedFakes.SiglipLike);
        provider.EmbedOne = (input, _) => EmbeddingResult.Failure(
            new EmbeddingInputException(EmbeddingInputError.TooLarge, input.ToString(), "decodes to more than 100 megapixels"), "test");
        await using ServerHost host = await ServerHost.StartAsync(provider);

        using HttpResponseMessage response = await HttpJson.PostAsync(host.Client, "embed_image", """{"inputs": ["aGVsbG8="]}""");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("inputs[0]", (await HttpJson.ReadErrorAsync(response)).Message, StringComparison.Ordinal);
    }
}
