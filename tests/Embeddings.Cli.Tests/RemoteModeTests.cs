using Embeddings.Local;
using Embeddings.Remote;
using Embeddings.TestSupport;

namespace Embeddings.Cli;

/// <summary><c>embed</c> in remote mode, selected by the same environment variables as <c>AddEmbeddings()</c>, against
/// a loopback fake of the remote service, with fallback to the local model.</summary>
public sealed class RemoteModeTests
{
    private const string ApiKey = "remote-secret-key-5678";
    private const string RemoteModel = "org/tiny-siglip2";
    private static readonly string[] s_texts = ["a red chair", "a dog on a beach"];

    [Fact]
    public async Task Embed_RemoteMode_UsesTheRemoteServiceAsTheLibraryDoes()
    {
        string model = TestAssets.TinyModelDir("siglip2");
        int dimensions = Dimensions(model);
        await using FaultInjectingServer server = await FaultInjectingServer.StartAsync(dimensions, ApiKey);

        CliResult result = await CliProcess.RunAsync(["embed", "--model", model, .. s_texts.SelectMany(t => new[] { "--text", t })], environment: Environment(server));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(server.TotalRequests > 0);
        using var http = new HttpClient();
        using var remote = new HuggingFaceProvider(http, new HuggingFaceProviderOptions
        {
            BaseUrl = server.BaseUrl, ApiKey = ApiKey, ModelId = RemoteModel, AllowApiKeyOverHttp = true, MaxRetries = 0,
        });
        IReadOnlyList<EmbeddingResult> expected = await remote.EmbedAsync(
            [.. s_texts.Select(t => EmbeddingInput.FromText(t))], cancellationToken: TestContext.Current.CancellationToken);
        Vectors.AssertLines(expected, result);

        Assert.DoesNotContain(ApiKey, result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embed_RemoteModeWithFailingService_FallsBackToTheLocalModel()
    {
        string model = TestAssets.TinyModelDir("siglip2");
        await using FaultInjectingServer server = await FaultInjectingServer.StartAsync(Dimensions(model), ApiKey);
        server.Fault = ServerFault.Status(503);

        CliResult result = await CliProcess.RunAsync(["embed", "--model", model, .. s_texts.SelectMany(t => new[] { "--text", t })], environment: Environment(server));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(server.TotalRequests > 0);
        using LocalOnnxProvider local = LocalOnnxProvider.Create(model);
        IReadOnlyList<EmbeddingResult> expected = await local.EmbedAsync(
            [.. s_texts.Select(t => EmbeddingInput.FromText(t))], cancellationToken: TestContext.Current.CancellationToken);
        Vectors.AssertLines(expected, result);

        Assert.DoesNotContain(ApiKey, result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embed_RemoteModeWithLocalFolderAndNoRemoteModel_IsAConfigurationError()
    {
        string model = TestAssets.TinyModelDir("siglip2");
        await using FaultInjectingServer server = await FaultInjectingServer.StartAsync(Dimensions(model), ApiKey);
        var environment = new Dictionary<string, string>(Environment(server));
        environment.Remove("HUGGINGFACE_SIGLIP_MODEL");

        CliResult result = await CliProcess.RunAsync(["embed", "--model", model, "--text", "x"], environment: environment);

        Assert.Equal(1, result.ExitCode);
        string line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("HUGGINGFACE_SIGLIP_MODEL", line, StringComparison.Ordinal);
        Assert.Equal(0, server.TotalRequests);
    }

    private static Dictionary<string, string> Environment(FaultInjectingServer server) => new()
    {
        ["VISUAL_EMBEDDING_MODE"] = "remote",
        ["HUGGINGFACE_API_KEY"] = ApiKey,
        ["HUGGINGFACE_API_URL"] = server.BaseUrl.ToString(),
        ["HUGGINGFACE_SIGLIP_MODEL"] = RemoteModel,
        ["HUGGINGFACE_MAX_RETRIES"] = "0",
        // The folder holds the model the remote serves (a test double here): the two may be combined. The fake listens on
        // plain http, so the key may travel over it.
        ["Embeddings__Fallback__AssumeCompatible"] = "true",
        ["Embeddings__Remote__AllowApiKeyOverHttp"] = "true",
    };

    private static int Dimensions(string model)
    {
        using LocalOnnxProvider provider = LocalOnnxProvider.Create(model);
        return provider.Metadata.Dimensions;
    }
}
