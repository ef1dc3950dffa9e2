using System.Numerics.Tensors;
using Embeddings.Composition;
using Embeddings.Local;
using Embeddings.TestSupport;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using static Embeddings.DependencyInjection.EmbeddingsServiceCollectionExtensionsTests;

namespace Embeddings.DependencyInjection;

/// <summary>
/// <c>AddEmbeddings()</c> with the library's own loader and the tiny generated ONNX models, end to end through a host:
/// the options under <c>Embeddings:Local</c> reach the provider, remote mode falls back to the real model, and a model
/// that cannot be found is reported naming the setting.
/// </summary>
public sealed class LocalOnnxModelLoaderTests
{
    private const string Query = "a cat sitting on a chair";
    private const string PhotoName = "cat_chelsea.png";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] Photo => File.ReadAllBytes(Path.Combine(TestAssets.ImagesDir, PhotoName));

    [Fact]
    public async Task LocalMode_TinyModels_ProvidersAndGeneratorsReturnTheVectorsOfAProviderCreatedWithTheSameOptions()
    {
        string visualFolder = LocalTestModels.Folder("siglip2");
        Dictionary<string, string?> env = LocalEnv(
            ("VISUAL_EMBEDDING_PRIMARY_MODEL", visualFolder),
            ("EMBEDDINGS_TEXT_MODEL", LocalTestModels.Folder("embeddinggemma")),
            ("Embeddings:Local:Normalize", "false"),
            ("Embeddings:Local:ImageBatchSize", "3"));
        await using EmbeddingsTestHost host = await EmbeddingsTestHost.StartAsync(env, realModels: true);
        IEmbeddingProvider image = host.Services.GetRequiredKeyedService<IEmbeddingProvider>(EmbeddingsServiceKeys.Image);
        IEmbeddingProvider text = host.Services.GetRequiredKeyedService<IEmbeddingProvider>(EmbeddingsServiceKeys.Text);
        byte[] photo = Photo;

        float[] imageVector = await EmbedOneAsync(image, EmbeddingInput.FromImage(photo, PhotoName));
        float[] queryVector = await EmbedOneAsync(image, EmbeddingInput.FromText(Query));
        float[] textVector = await EmbedOneAsync(text, EmbeddingInput.FromText(Query));
        float[] generatedText = (await host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>()
            .GenerateAsync([Query], cancellationToken: Ct))[0].Vector.ToArray();
        float[] generatedImage = (await host.Services.GetRequiredService<IEmbeddingGenerator<DataContent, Embedding<float>>>()
            .GenerateAsync([new DataContent(photo, "image/png")], cancellationToken: Ct))[0].Vector.ToArray();

        using LocalOnnxProvider directVisual = LocalTestModels.Create("siglip2", o => o.Normalize = false);
        using LocalOnnxProvider directText = LocalTestModels.Create("embeddinggemma", o => o.Normalize = false);
        Assert.Equal(await EmbedOneAsync(directVisual, EmbeddingInput.FromImage(photo, PhotoName)), imageVector);
        Assert.Equal(await EmbedOneAsync(directVisual, EmbeddingInput.FromText(Query)), queryVector);
        Assert.Equal(await EmbedOneAsync(directText, EmbeddingInput.FromText(Query)), textVector);
        Assert.Equal(textVector, generatedText);
        Assert.Equal(imageVector, generatedImage);

        // Embeddings:Local:Normalize=false reached the visual model: its raw pooled outputs are not unit vectors.
        Assert.True(Math.Abs(TensorPrimitives.Norm(imageVector) - 1) > 1e-3, $"norm {TensorPrimitives.Norm(imageVector)}");
        Assert.Equal(EmbeddingModalities.Text | EmbeddingModalities.Image, image.Metadata.Modalities);
        Assert.Equal(EmbeddingModalities.Text, text.Metadata.Modalities);
        Assert.Contains(host.Logs.Entries, e => e.Message.StartsWith($"Visual embedding mode: LOCAL (model={visualFolder}, batch_size=3,", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RemoteMode_ServerFails_TheRealLocalModelServesTextsAndImages()
    {
        const string apiKey = "hf_SECRET_loader_key_5c1e";
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 8, requiredApiKey: apiKey);
        server.Fault = ServerFault.Status(503);
        Dictionary<string, string?> env = LocalEnv(
            ("VISUAL_EMBEDDING_MODE", "remote"),
            ("VISUAL_EMBEDDING_PRIMARY_MODEL", LocalTestModels.Folder("siglip2")),
            ("HUGGINGFACE_SIGLIP_MODEL", "tiny/siglip2"),
            ("Embeddings:Fallback:AssumeCompatible", "true"),
            ("HUGGINGFACE_API_KEY", apiKey),
            ("HUGGINGFACE_API_URL", server.BaseUrl.ToString()),
            ("HUGGINGFACE_MAX_RETRIES", "0"),
            ("Embeddings:Remote:Protocol", "EmbeddingsServer"),
            ("Embeddings:Text:Enabled", "false"));
        await using EmbeddingsTestHost host = await EmbeddingsTestHost.StartAsync(env, realModels: true);
        IEmbeddingProvider image = host.Services.GetRequiredKeyedService<IEmbeddingProvider>(EmbeddingsServiceKeys.Image);

        IReadOnlyList<EmbeddingResult> results = await image.EmbedAsync(
            [EmbeddingInput.FromImage(Photo, PhotoName), EmbeddingInput.FromText(Query)], cancellationToken: Ct);

        LocalOnnxProvider direct = LocalTestModels.Shared("siglip2");
        Assert.True(server.TotalRequests > 0);
        Assert.All(results, r =>
        {
            Assert.Equal(LocalOnnxProviderDefaults.ProviderName, r.ProviderName);
            Assert.Equal("HttpStatus", r.Embedding!.AdditionalProperties![FallbackProvider.FallbackReasonProperty]);
        });
        Assert.Equal(await EmbedOneAsync(direct, EmbeddingInput.FromImage(Photo, PhotoName)), results[0].Vector.ToArray());
        Assert.Equal(await EmbedOneAsync(direct, EmbeddingInput.FromText(Query)), results[1].Vector.ToArray());
        Assert.DoesNotContain(apiKey, host.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingModelFolders_StartFails_NamingTheVariables()
    {
        string missing = Path.Combine(Path.GetTempPath(), "no-such-model-" + Guid.NewGuid().ToString("N"));
        await using EmbeddingsTestHost host = EmbeddingsTestHost.Build(
            LocalEnv(("VISUAL_EMBEDDING_PRIMARY_MODEL", missing), ("EMBEDDINGS_TEXT_MODEL", Path.Combine(missing, "text"))),
            b => b.Services.AddEmbeddings(), realModels: true);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(host.StartHostAsync);

        Assert.Contains($"The model folder '{missing}' set by VISUAL_EMBEDDING_PRIMARY_MODEL (Embeddings:Visual:Model) does not exist.", error.Failures);
        Assert.Contains($"The model folder '{Path.Combine(missing, "text")}' set by EMBEDDINGS_TEXT_MODEL (Embeddings:Text:Model) does not exist.", error.Failures);
    }

    [Fact]
    public async Task HubModelNotInTheOfflineCache_ReadinessIsUnhealthy_NamingTheVariable()
    {
        DirectoryInfo emptyCache = Directory.CreateTempSubdirectory("embeddings-hub-");
        try
        {
            await using EmbeddingsTestHost host = await EmbeddingsTestHost.StartAsync(
                LocalEnv(
                    ("VISUAL_EMBEDDING_PRIMARY_MODEL", "nobody/missing-siglip"),
                    ("Embeddings:Local:ModelSource:CacheDirectory", emptyCache.FullName),
                    ("Embeddings:Text:Enabled", "false"),
                    ("Embeddings:ModelLoading", "AtStartup")),
                b => b.Services.AddEmbeddings().Services.AddHealthChecks(),
                realModels: true);
            EmbeddingRole role = host.Services.GetRequiredService<EmbeddingsProviders>().Image!;
            await LazyEmbeddingProviderTests.WaitUntilAsync(() => role.Local.State == ModelLoadState.Failed);

            HealthReportEntry entry = (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct)).Entries["embeddings-image"];

            Assert.Equal(HealthStatus.Unhealthy, entry.Status);
            EmbeddingModelException error = Assert.IsType<EmbeddingModelException>(entry.Exception);
            Assert.StartsWith(
                "The image model set by VISUAL_EMBEDDING_PRIMARY_MODEL (Embeddings:Visual:Model) could not be loaded: ", error.Message, StringComparison.Ordinal);
            Assert.Contains("nobody/missing-siglip", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            emptyCache.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task LocalModalitiesConfigured_StartFails_SayingTheyAreSetPerModel()
    {
        await using EmbeddingsTestHost host = EmbeddingsTestHost.Build(
            LocalEnv(("Embeddings:Local:Modalities", "Image"), ("Embeddings:Local:TextBatchSize", "0")), b => b.Services.AddEmbeddings(), realModels: true);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(host.StartHostAsync);

        Assert.Contains(error.Failures, f => f.StartsWith("Embeddings:Local:Modalities is set per model by AddEmbeddings", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Embeddings:Local: ", StringComparison.Ordinal) && f.Contains(nameof(LocalOnnxProviderOptions.TextBatchSize), StringComparison.Ordinal));
    }

    /// <summary>The settings of <see cref="LocalTestModels.Options"/> (one intra-op thread, offline) as configuration, plus
    /// <paramref name="variables"/>.</summary>
    private static Dictionary<string, string?> LocalEnv(params (string Name, string? Value)[] variables) =>
        Env([("Embeddings:Local:Runtime:IntraOpThreads", "1"), ("Embeddings:Local:ModelSource:Offline", "true"), .. variables]);

    private static async Task<float[]> EmbedOneAsync(IEmbeddingProvider provider, EmbeddingInput input)
    {
        EmbeddingResult result = Assert.Single(await provider.EmbedAsync([input], cancellationToken: Ct));
        Assert.True(result.Succeeded, result.Error?.Message);
        return result.Vector.ToArray();
    }
}
