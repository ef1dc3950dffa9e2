using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Embeddings.Local;
using Embeddings.TestSupport;

namespace Embeddings.Cli;

/// <summary>samples/EmbeddingServer and <c>embeddings serve</c>, started as processes with a tiny model.</summary>
public sealed class ServerTests
{
    private const string Token = "test-token-1234";

    [Fact]
    public async Task Sample_TinyModel_ServesHealthAndPredictWithTheLibrarysVector()
    {
        string model = TestAssets.TinyModelDir("embeddinggemma");
        await using ServerProcess server = await ServerProcess.StartAsync(
            CliProcess.SampleServerDll,
            _ => [],
            port => new Dictionary<string, string>
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
                ["EMBEDDINGS_MODEL"] = model,
                ["auth_token"] = Token,
            },
            TestContext.Current.CancellationToken);

        using HttpResponseMessage health = await server.Client.GetAsync("health", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using HttpResponseMessage anonymous = await Predict(server, "hello", token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using HttpResponseMessage response = await Predict(server, "what is the attention mechanism?", Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        float[] served = await ReadFlatVector(response);
        using LocalOnnxProvider provider = LocalOnnxProvider.Create(model);
        IReadOnlyList<EmbeddingResult> expected = await provider.EmbedAsync(
            [EmbeddingInput.FromText("what is the attention mechanism?")], new EmbeddingRequestOptions { PromptName = "query" },
            TestContext.Current.CancellationToken);
        Vectors.AssertIdentical(expected[0].Vector.Span, served);
    }

    [Fact]
    public async Task ServeCommand_TinyModelAnonymous_ServesPredict()
    {
        string model = TestAssets.TinyModelDir("embeddinggemma");
        await using ServerProcess server = await ServerProcess.StartAsync(
            CliProcess.CliDll,
            port => ["serve", "--model", model, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--allow-anonymous"],
            _ => new Dictionary<string, string>(),
            TestContext.Current.CancellationToken);

        using HttpResponseMessage response = await Predict(server, "hello", token: null);

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        using LocalOnnxProvider provider = LocalOnnxProvider.Create(model);
        IReadOnlyList<EmbeddingResult> expected = await provider.EmbedAsync(
            [EmbeddingInput.FromText("hello")], new EmbeddingRequestOptions { PromptName = "query" }, TestContext.Current.CancellationToken);
        float[] served = await ReadFlatVector(response);
        Vectors.AssertIdentical(expected[0].Vector.Span, served);
    }

    private static Task<HttpResponseMessage> Predict(ServerProcess server, string query, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "predict")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { query }), Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return server.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static async Task<float[]> ReadFlatVector(HttpResponseMessage response)
    {
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return [.. body.RootElement.EnumerateArray().Select(e => e.GetSingle())];
    }
}
