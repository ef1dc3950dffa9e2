using Embeddings.Composition;
using Embeddings.Remote;
using Embeddings.TestSupport;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Embeddings.DependencyInjection;

/// <summary>
/// <c>AddEmbeddings()</c> through a real host, configured from an "environment" handed to the host's configuration
/// (never the process's), for each documented combination of the deployment's environment variables.
/// </summary>
public sealed class EmbeddingsServiceCollectionExtensionsTests
{
    private const string ApiKey = "hf_SECRET_test_key_5c1f0a";
    private const string SigLip = "google/siglip2-so400m-patch14-384";
    private const string Gemma = "onnx-community/embeddinggemma-300m-ONNX";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AddEmbeddings_EmptyEnvironment_LocalVisualAndTextModelsWithTheDocumentedDefaults()
    {
        await using EmbeddingsTestHost host = await EmbeddingsTestHost.StartAsync(Env());

        EmbeddingsOptions options = host.Services.GetRequiredService<IOptions<EmbeddingsOptions>>().Value;
        Assert.Equal(VisualEmbeddingMode.Local, options.Visual.Mode);
        Assert.Equal(SigLip, options.Visual.Model);
        Assert.Equal(Gemma, options.Text.Model);
        Assert.Null(options.Remote.ApiKey);
        Assert.Equal(new Uri("https://router.huggingface.co"), options.Remote.BaseUrl);
        Assert.Equal((10, TimeSpan.FromSeconds(60), 3), (options.Remote.BatchSize, options.Remote.Timeout, options.Remote.MaxRetries));

        var image = Assert.IsType<LazyEmbeddingProvider>(host.Services.GetRequiredKeyedService<IEmbeddingProvider>(EmbeddingsServiceKeys.Image));
        var text = Assert.IsType<LazyEmbeddingProvider>(host.Services.GetRequiredKeyedService<IEmbeddingProvider>(EmbeddingsServiceKeys.Text));
        Assert.Equal((SigLip, EmbeddingModalities.Text | EmbeddingModalities.Image), (image.Metadata.ModelId, image.Metadata.Modalities));
        Assert.Equal((Gemma, EmbeddingModalities.Text), (text.Metadata.ModelId, text.Metadata.Modalities));
        Assert.Same(text, host.Services.GetRequiredService<IEmbeddingProvider>());

        // Nothing is loaded until a call needs it.
        Assert.Equal(0, host.Loader.Loads);
        Assert.Equal(ModelLoadState.NotLoaded, image.State);

        Assert.Single(host.Logs.Entries, e => e.Level == LogLevel.Information
            && e.Message.StartsWith($"Visual embedding mode: LOCAL (model={SigLip}, batch_size=", StringComparison.Ordinal));
        Assert.Single(host.Logs.Entries, e => e.Message.StartsWith($"Text embedding mode: LOCAL (model={Gemma}", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task AddEmbeddings_RemoteModeWithKey_RemoteFirstThenLocalWithTheEnvironmentsSettings()
    {
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 8, requiredApiKey: ApiKey);
        Dictionary<string, string?> env = Env(
            ("VISUAL_EMBEDDING_MODE", "REMOTE"),
            ("HUGGINGFACE_API_KEY", ApiKey),
            ("HUGGINGFACE_API_URL", server.BaseUrl.ToString()),
            ("HUGGINGFACE_BATCH_SIZE", "7"),
            ("HUGGINGFACE_TIMEOUT", "12.5"),
            ("HUGGINGFACE_MAX_RETRIES", "2"),
            ("VISUAL_EMBEDDING_PRIMARY_MODEL", "test-org/siglip"));
        await using EmbeddingsTestHost host = await EmbeddingsTestHost.StartAsync(env);

        var fallback = Assert.IsType<FallbackProvider>(host.Services.GetRequiredKeyedService<IEmbeddingProvider>(EmbeddingsServiceKeys.Image));
        Assert.Collection(
            fallback.Providers,
            p => Assert.Equal("test-org/siglip", Assert.IsType<HuggingFaceProvider>(p).Metadata.ModelId),
            p => Assert.Equal("test-org/siglip", Assert.IsType<LazyEmbeddingProvider>(p).ModelId));
        HuggingFaceProviderOptions remote = host.Services.GetRequiredService<EmbeddingsProviders>().Plan.Remote;
        Assert.Equal((7, TimeSpan.FromSeconds(12.5), 2, "test-org/siglip"), (remote.BatchSize, remote.Timeout, remote.MaxRetries, remote.ModelId));

        // The key reaches the server (it answers 401 otherwise) and 10 texts go out as requests of 7 and 3.
        string[] texts = [.. Enumerable.Range(0, 10).Select(i => $"text {i}")];
        IReadOnlyList<EmbeddingResult> results = await fallback.EmbedAsync([.. texts.Select(t => EmbeddingInput.FromText(t))], cancellationToken: Ct);
        Assert.All(results, r => Assert.Equal("huggingface", r.ProviderName));
        Assert.Equal(2, server.RequestCount(FaultInjectingServer.FeatureExtractionRoute));
        Assert.Equal([7, 3], server.Requests.Select(r => r.Inputs).Order().Reverse());
        Assert.Equal(0, host.Loader.Loads);

        string startLine = Assert.Single(host.Logs.Entries, e => e.Message.StartsWith("Visual embedding mode: REMOTE", StringComparison.Ordinal)).Message;
        Assert.Equal(
            $"Visual embedding mode: REMOTE (model=test-org/siglip, url={server.BaseUrl}hf-inference/models/test-org/siglip/pipeline/feature-extraction, "
            + "protocol=HuggingFaceInference, batch_size=7, timeout=12.5s, retries=2; fallback: local model test-org/siglip, loaded on first use)",
            startLine);
        Assert.DoesNotContain(ApiKey, host.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddEmbeddings_RemoteModeWithoutKey_OneWarningAndTheLocalModel()
    {
        await using EmbeddingsTestHost host = await EmbeddingsTestHost.StartAsync(Env(("VISUAL_EMBEDDING_MODE", "remote")));

        var image = Assert.IsType<LazyEmbeddingProvider>(host.Services.GetRequiredKeyedService<IEmbeddingProvider>(EmbeddingsServiceKeys.Image));
        Assert.Null(host.Services.GetRequiredService<EmbeddingsProviders>().Image!.Remote);
        CapturedLog warning = Assert.Single(host.Logs.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Contains("remote but no API key is configured", warning.Message, StringComparison.Ordinal);
        Assert.Contains("HUGGINGFACE_API_KEY", warning.Message, StringComparison.Ordinal);
        Assert.Single(host.Logs.Entries, e => e.Message.StartsWith($"Visual embedding mode: LOCAL (model={SigLip}", StringComparison.Ordinal));

        // Resolving again, or through another registration, builds nothing twice: still one warning.
        Assert.Same(image, host.Services.GetRequiredKeyedService<IEmbeddingProvider>(EmbeddingsServiceKeys.Image));
        _ = host.Services.GetRequiredService<IEmbeddingGenerator<DataContent, Embedding<float>>>();
        Assert.Single(host.Logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Theory]
    [InlineData("Remtoe")]
    [InlineData("on-device")]
    [InlineData("1")]
    public async Task AddEmbeddings_UnknownMode_StartFailsNamingTheVariableAndTheValue(string mode)
    {
        await using EmbeddingsTestHost host = EmbeddingsTestHost.Build(
            Env(("VISUAL_EMBEDDING_MODE", mode), ("HUGGINGFACE_API_KEY", ApiKey)), b => b.Services.AddEmbeddings());

        var error = await Assert.ThrowsAsync<OptionsValidationException>(host.StartHostAsync);

        string message = Assert.Single(error.Failures);
        Assert.Equal($"The environment variable VISUAL_EMBEDDING_MODE must be 'local' or 'remote' (any case), not '{mode}' (Embeddings:Visual:Mode).", message);
        Assert.DoesNotContain(ApiKey, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HUGGINGFACE_BATCH_SIZE", "ten", "a whole number from 1 to 4096")]
    [InlineData("HUGGINGFACE_BATCH_SIZE", "0", "a whole number from 1 to 4096")]
    [InlineData("HUGGINGFACE_BATCH_SIZE", "5000", "a whole number from 1 to 4096")]
    [InlineData("HUGGINGFACE_BATCH_SIZE", "7.5", "a whole number from 1 to 4096")]
    [InlineData("HUGGINGFACE_MAX_RETRIES", "-1", "a whole number from 0 to 10")]
    [InlineData("HUGGINGFACE_MAX_RETRIES", "11", "a whole number from 0 to 10")]
    [InlineData("HUGGINGFACE_TIMEOUT", "sixty", "a number of seconds from 0.001 to 86400")]
    [InlineData("HUGGINGFACE_TIMEOUT", "0", "a number of seconds from 0.001 to 86400")]
    [InlineData("HUGGINGFACE_TIMEOUT", "-5", "a number of seconds from 0.001 to 86400")]
    [InlineData("HUGGINGFACE_TIMEOUT", "1e9", "a number of seconds from 0.001 to 86400")]
    [InlineData("HUGGINGFACE_TIMEOUT", "NaN", "a number of seconds from 0.001 to 86400")]
    [InlineData("VISUAL_EMBEDDING_ENABLED", "maybe", "true or false")]
    public async Task AddEmbeddings_MalformedNumber_StartFailsNamingTheVariable(string variable, string value, string expected)
    {
        await using EmbeddingsTestHost host = EmbeddingsTestHost.Build(Env((variable, value)), b => b.Services.AddEmbeddings());

        var error = await Assert.ThrowsAsync<OptionsValidationException>(host.StartHostAsync);

        string message = Assert.Single(error.Failures);
        Assert.StartsWith($"The environment variable {variable} must be {expected}, not '{value}' (Embeddings:", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddEmbeddings_SeveralMalformedValues_StartFailsListingEveryOneAndNeverTheKeyOrUrl()
    {
        Dictionary<string, string?> env = Env(
            ("VISUAL_EMBEDDING_MODE", "cloud"),
            ("HUGGINGFACE_API_KEY", ApiKey),
            ("HUGGINGFACE_API_URL", $"ftp://user:{ApiKey}@example.com/"),
            ("HUGGINGFACE_BATCH_SIZE", "many"),
            ("HUGGINGFACE_TIMEOUT", "forever"));
        await using EmbeddingsTestHost host = EmbeddingsTestHost.Build(env, b => b.Services.AddEmbeddings());

        var error = await Assert.ThrowsAsync<OptionsValidationException>(host.StartHostAsync);

        Assert.Equal(4, error.Failures.Count());
        foreach (string variable in (string[])["VISUAL_EMBEDDING_MODE", "HUGGINGFACE_API_URL", "HUGGINGFACE_BATCH_SIZE", "HUGGINGFACE_TIMEOUT"])
        {
            Assert.Single(error.Failures, f => f.Contains(variable, StringComparison.Ordinal));
        }

        Assert.DoesNotContain(ApiKey, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, host.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddEmbeddings_EmptyAndBlankValues_CountAsUnset()
    {
        // A deployment that writes every unset secret as an empty value.
        string[] variables =
        [
            "VISUAL_EMBEDDING_MODE", "VISUAL_EMBEDDING_ENABLED", "VISUAL_EMBEDDING_PRIMARY_MODEL", "EMBEDDINGS_TEXT_MODEL",
            "HUGGINGFACE_API_KEY", "HF_TOKEN", "HUGGINGFACE_API_URL", "HUGGINGFACE_SIGLIP_MODEL", "HUGGINGFACE_BATCH_SIZE",
            "HUGGINGFACE_TIMEOUT", "HUGGINGFACE_MAX_RETRIES", "HF_HOME", "HF_HUB_OFFLINE",
        ];
        Dictionary<string, string?> env = Env([.. variables.Select((v, i) => (v, (string?)(i % 2 == 0 ? string.Empty : " \t ")))]);
        await using EmbeddingsTestHost host = await EmbeddingsTestHost.StartAsync(env);

        EmbeddingsOptions options = host.Services.GetRequiredService<IOptions<EmbeddingsOptions>>().Value;
        EmbeddingsOptions defaults = new();
        Assert.Equal((defaults.Visual.Enabled, defaults.Visual.Mode, defaults.Visual.Model, defaults.Text.Model), (options.Visual.Enabled, options.Visual.Mode, options.Visual.Model, options.Text.Model));
        Assert.Equal(
            (defaults.Remote.ApiKey, defaults.Remote.BaseUrl, defaults.Remote.ModelId, defaults.Remote.BatchSize, defaults.Remote.Timeout, defaults.Remote.MaxRetries),
            (options.Remote.ApiKey, options.Remote.BaseUrl, options.Remote.ModelId, options.Remote.BatchSize, options.Remote.Timeout, options.Remote.MaxRetries));
        Assert.IsType<LazyEmbeddingProvider>(host.Services.GetRequiredKeyedService<IEmbeddingProvider>(EmbeddingsServiceKeys.Image));
        Assert.DoesNotContain(host.Logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task AddEmbeddings_RemoteModeWithAnEmptyKey_WarnsAndRunsLocally()
    {
        await using EmbeddingsTestHost host = await EmbeddingsTestHost.StartAsync(
            Env(("VISUAL_EMBEDDING_MODE", "remote"), ("HUGGINGFACE_API_KEY", ""), ("HF_TOKEN", "  ")));

        Assert.IsType<LazyEmbeddingProvider>(host.Services.GetRequiredKeyedService<IEmbeddingProvider>(EmbeddingsServiceKeys.Image));
        Assert.Single(host.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("no API key", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddEmbeddings_RemoteModeWithABlankConfiguredKey_WarnsAndRunsLocally()
    {
        await using EmbeddingsTestHost host = await EmbeddingsTestHost.StartAsync(
            Env(("Embeddings:Visual:Mode", "Remote"), ("Embeddings:Remote:ApiKey", "   ")));

        Assert.IsType<LazyEmbeddingProvider>(host.Services.GetRequiredKeyedService<IEmbeddingProvider>(EmbeddingsServiceKeys.Image));
        Assert.Single(host.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("no API key", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddEmbeddings_RemoteModeWithAModelFolderAndNoRemoteModel_StartFailsAskingForTheRemoteModel()
    {
        DirectoryInfo folder = Directory.CreateTempSubdirectory("siglip2-onnx-");
        await using EmbeddingsTestHost host = EmbeddingsTestHost.Build(
            Env(("VISUAL_EMBEDDING_MODE", "remote"), ("HUGGINGFACE_API_KEY", ApiKey), ("VISUAL_EMBEDDING_PRIMARY_MODEL", folder.FullName)),
            b => b.Services.AddEmbeddings());

        var error = await Assert.ThrowsAsync<OptionsValidationException>(host.StartHostAsync);
        folder.Delete();

        string message = Assert.Single(error.Failures);
        Assert.StartsWith("The visual model is a local folder (Embeddings:Visual:Model, VISUAL_EMBEDDING_PRIMARY_MODEL)", message, StringComparison.Ordinal);
        Assert.Contains("Embeddings:Remote:ModelId (HUGGINGFACE_SIGLIP_MODEL)", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AddEmbeddings_HfTokenInsteadOfApiKey_IsTheBearerToken(bool alsoApiKey)
    {
        const string token = "hf_token_from_HF_TOKEN_77";
        string expected = alsoApiKey ? ApiKey : token;
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 8, requiredApiKey: expected);
        Dictionary<string, string?> env = Env(
            ("VISUAL_EMBEDDING_MODE", "remote"),
            ("HF_TOKEN", token),
            ("HUGGINGFACE_API_KEY", alsoApiKey ? ApiKey : null),
            ("HUGGINGFACE_API_URL", server.BaseUrl.ToString()));
        await using EmbeddingsTestHost host = await EmbeddingsTestHost.StartAsync(env);

        IEmbeddingProvider image = host.Services.GetRequiredKeyedService<IEmbeddingProvider>(EmbeddingsServiceKeys.Image);
        EmbeddingResult result = (await image.EmbedAsync(["red brick"], cancellationToken: Ct))[0];

        Assert.Equal("huggingface", result.ProviderName);
        Assert.Equal($"Bearer {expected}", Assert.Single(server.Requests).Authorization);
        Assert.DoesNotContain(token, host.Logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, host.Logs.AllText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("section")]
    [InlineData("root")]
    [InlineData("default")]
    public async Task AddEmbeddings_ExplicitConfiguration_WinsOverTheEnvironment(string overload)
    {
        Dictionary<string, string?> env = Env(
            ("VISUAL_EMBEDDING_MODE", "remote"),
            ("HUGGINGFACE_API_KEY", ApiKey),
            ("HUGGINGFACE_BATCH_SIZE", "7"),
            ("HUGGINGFACE_TIMEOUT", "30"),
            ("EMBEDDINGS_TEXT_MODEL", "env/text"),
            ("Embeddings:Visual:Mode", "local"),
            ("Embeddings:Remote:BatchSize", "5"),
            ("Embeddings:Text:Model", "config/text"));
        await using EmbeddingsTestHost host = await EmbeddingsTestHost.StartAsync(env, b => _ = overload switch
        {
            "section" => b.Services.AddEmbeddings(b.Configuration.GetSection("Embeddings")),
            "root" => b.Services.AddEmbeddings(b.Configuration),
            _ => b.Services.AddEmbeddings(),
        });

        EmbeddingsOptions options = host.Services.GetRequiredService<IOptions<EmbeddingsOptions>>().Value;
        Assert.Equal(VisualEmbeddingMode.Local, options.Visual.Mode);
        Assert.Equal(5, options.Remote.BatchSize);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Remote.Timeout); // not in the configuration: the environment's
        Assert.Equal("config/text", options.Text.Model);
        Assert.IsType<LazyEmbeddingProvider>(host.Services.GetRequiredKeyedService<IEmbeddingProvider>(EmbeddingsServiceKeys.Image));
        Assert.Equal("config/text", host.Services.GetRequiredKeyedService<IEmbeddingProvider>(EmbeddingsServiceKeys.Text).Metadata.ModelId);
    }

    [Fact]
    public async Task AddEmbeddings_ConfigureDelegate_WinsOverConfigurationAndEnvironment()
    {
        Dictionary<string, string?> env = Env(
            ("HUGGINGFACE_BATCH_SIZE", "7"),
            ("Embeddings:Remote:BatchSize", "5"),
            ("VISUAL_EMBEDDING_PRIMARY_MODEL", "env/visual"),
            ("Embeddings:Visual:Model", "config/visual"),
            ("HUGGINGFACE_MAX_RETRIES", "1"));
        await using EmbeddingsTestHost host = await EmbeddingsTestHost.StartAsync(env, b => b.Services.AddEmbeddings(b.Configuration.GetSection("Embeddings"), o =>
        {
            o.Remote.BatchSize = 3;
            o.Visual.Model = "code/visual";
        }));

        EmbeddingsOptions options = host.Services.GetRequiredService<IOptions<EmbeddingsOptions>>().Value;
        Assert.Equal((3, "code/visual", 1), (options.Remote.BatchSize, options.Visual.Model, options.Remote.MaxRetries));
        Assert.Equal("code/visual", host.Services.GetRequiredKeyedService<IEmbeddingProvider>(EmbeddingsServiceKeys.Image).Metadata.ModelId);
    }

    [Fact]
    public async Task AddEmbeddings_ConfigureOptionsRegisteredEarlier_StillWinsOverTheEnvironment()
    {
        await using EmbeddingsTestHost host = await EmbeddingsTestHost.StartAsync(Env(("HUGGINGFACE_BATCH_SIZE", "7")), b =>
        {
            b.Services.Configure<EmbeddingsOptions>(o => o.Remote.BatchSize = 2);
            b.Services.AddEmbeddings();
        });

        Assert.Equal(2, host.Services.GetRequiredService<IOptions<EmbeddingsOptions>>().Value.Remote.BatchSize);
    }

    [Fact]
    public async Task AddEmbeddings_InvalidConfigurationValue_StartFailsNamingTheSectionAndSetting()
    {
        await using EmbeddingsTestHost host = EmbeddingsTestHost.Build(
            Env(("Embeddings:Remote:BatchSize", "0"), ("Embeddings:Fallback:WarningInterval", "-00:00:01")), b => b.Services.AddEmbeddings());

        var error = await Assert.ThrowsAsync<OptionsValidationException>(host.StartHostAsync);

        Assert.Contains(error.Failures, f => f.StartsWith("Embeddings:Remote: ", StringComparison.Ordinal) && f.Contains("BatchSize", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Embeddings:Fallback: WarningInterval", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddEmbeddings_RemoteModelDiffersFromLocal_StartFailsExplainingHowToDeclareThemCompatible()
    {
        Dictionary<string, string?> env = Env(
            ("VISUAL_EMBEDDING_MODE", "remote"),
            ("HUGGINGFACE_API_KEY", ApiKey),
            ("HUGGINGFACE_SIGLIP_MODEL", "google/siglip-so400m-patch14-384"));
        await using EmbeddingsTestHost host = EmbeddingsTestHost.Build(env, b => b.Services.AddEmbeddings());

        var error = await Assert.ThrowsAsync<OptionsValidationException>(host.StartHostAsync);

        string message = Assert.Single(error.Failures);
        Assert.Contains("'google/siglip-so400m-patch14-384' (Embeddings:Remote:ModelId, HUGGINGFACE_SIGLIP_MODEL)", message, StringComparison.Ordinal);
        Assert.Contains($"'{SigLip}' (Embeddings:Visual:Model, VISUAL_EMBEDDING_PRIMARY_MODEL)", message, StringComparison.Ordinal);
        Assert.Contains("Vectors from different models are not comparable", message, StringComparison.Ordinal);
        Assert.Contains("Embeddings:Fallback:AssumeCompatible=true", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddEmbeddings_RemoteModelDiffersButDeclaredCompatible_Starts()
    {
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 8);
        Dictionary<string, string?> env = Env(
            ("VISUAL_EMBEDDING_MODE", "remote"),
            ("HUGGINGFACE_API_KEY", ApiKey),
            ("HUGGINGFACE_API_URL", server.BaseUrl.ToString()),
            ("HUGGINGFACE_SIGLIP_MODEL", "remote/renamed-siglip"),
            ("Embeddings:Fallback:AssumeCompatible", "true"));
        await using EmbeddingsTestHost host = await EmbeddingsTestHost.StartAsync(env);

        var fallback = Assert.IsType<FallbackProvider>(host.Services.GetRequiredKeyedService<IEmbeddingProvider>(EmbeddingsServiceKeys.Image));
        Assert.Equal(["remote/renamed-siglip", SigLip], fallback.Providers.Select(p => p.Metadata.ModelId));
    }

    [Fact]
    public async Task AddEmbeddings_Registrations_KeyedUnkeyedAndGeneratorsEmbedThroughTheProviders()
    {
        await using EmbeddingsTestHost host = await EmbeddingsTestHost.StartAsync(Env());
        IServiceProvider services = host.Services;
        TestLocalModelLoader loader = host.Loader;

        var textGenerator = services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var imageTextGenerator = services.GetRequiredKeyedService<IEmbeddingGenerator<string, Embedding<float>>>(EmbeddingsServiceKeys.Image);
        var keyedTextGenerator = services.GetRequiredKeyedService<IEmbeddingGenerator<string, Embedding<float>>>(EmbeddingsServiceKeys.Text);
        var imageGenerator = services.GetRequiredService<IEmbeddingGenerator<DataContent, Embedding<float>>>();
        var keyedImageGenerator = services.GetRequiredKeyedService<IEmbeddingGenerator<DataContent, Embedding<float>>>(EmbeddingsServiceKeys.Image);

        Embedding<float> text = (await textGenerator.GenerateAsync(["a query"], cancellationToken: Ct))[0];
        Embedding<float> keyedText = (await keyedTextGenerator.GenerateAsync(["a query"], cancellationToken: Ct))[0];
        Embedding<float> imageText = (await imageTextGenerator.GenerateAsync(["a red chair"], cancellationToken: Ct))[0];
        byte[] png = await File.ReadAllBytesAsync(TestAssets.AllImages().First(f => f.EndsWith(".png", StringComparison.Ordinal)), Ct);
        Embedding<float> image = (await imageGenerator.GenerateAsync([new DataContent(png, "image/png")], cancellationToken: Ct))[0];
        Embedding<float> keyedImage = (await keyedImageGenerator.GenerateAsync([new DataContent(png, "image/png")], cancellationToken: Ct))[0];

        Assert.Equal((Gemma, Gemma, SigLip, SigLip, SigLip), (text.ModelId, keyedText.ModelId, imageText.ModelId, image.ModelId, keyedImage.ModelId));
        Assert.Equal(image.Vector.ToArray(), keyedImage.Vector.ToArray());
        Assert.Equal(loader.VectorFor(EmbeddingInput.FromText("a query")), text.Vector.ToArray());
        Assert.Equal(loader.VectorFor(EmbeddingInput.FromText("a red chair")), imageText.Vector.ToArray());
        Assert.Equal(2, loader.Loads); // one text model, one visual model
        Assert.Equal([EmbeddingsServiceKeys.Text, EmbeddingsServiceKeys.Image], loader.Requests.Select(r => r.Role));
    }

    [Fact]
    public async Task AddEmbeddings_TextDisabled_UnkeyedProviderIsTheVisualOneAndTheTextKeyResolvesNothing()
    {
        await using EmbeddingsTestHost host = await EmbeddingsTestHost.StartAsync(Env(("Embeddings:Text:Enabled", "false")));

        IEmbeddingProvider image = host.Services.GetRequiredKeyedService<IEmbeddingProvider>(EmbeddingsServiceKeys.Image);
        Assert.Same(image, host.Services.GetRequiredService<IEmbeddingProvider>());
        Assert.Null(host.Services.GetKeyedService<IEmbeddingProvider>(EmbeddingsServiceKeys.Text));
        Assert.Null(host.Services.GetKeyedService<IEmbeddingGenerator<string, Embedding<float>>>(EmbeddingsServiceKeys.Text));
        Assert.Single(host.Logs.Entries, e => e.Message == "Text embedding: disabled");
    }

    [Fact]
    public async Task AddEmbeddings_VisualDisabledByTheEnvironment_OnlyTheTextProviderIsBuilt()
    {
        await using EmbeddingsTestHost host = await EmbeddingsTestHost.StartAsync(Env(("VISUAL_EMBEDDING_ENABLED", "False"), ("VISUAL_EMBEDDING_MODE", "remote")));

        Assert.Null(host.Services.GetKeyedService<IEmbeddingProvider>(EmbeddingsServiceKeys.Image));
        Assert.Null(host.Services.GetService<IEmbeddingGenerator<DataContent, Embedding<float>>>());
        Assert.Equal(Gemma, host.Services.GetRequiredService<IEmbeddingProvider>().Metadata.ModelId);
        Assert.Single(host.Logs.Entries, e => e.Message == "Visual embedding: disabled");
        Assert.DoesNotContain(host.Logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task AddEmbeddings_ProviderAlreadyRegistered_KeepsTheApplicationsUnkeyedProvider()
    {
        using var own = new TestEmbeddingProvider();
        await using EmbeddingsTestHost host = await EmbeddingsTestHost.StartAsync(Env(), b =>
        {
            b.Services.AddSingleton<IEmbeddingProvider>(own);
            b.Services.AddEmbeddings();
        });

        Assert.Same(own, host.Services.GetRequiredService<IEmbeddingProvider>());
        Assert.IsType<LazyEmbeddingProvider>(host.Services.GetRequiredKeyedService<IEmbeddingProvider>(EmbeddingsServiceKeys.Text));
    }

    [Fact]
    public async Task AddEmbeddings_CalledTwice_BuildsOneSetOfProvidersWithBothConfigurations()
    {
        await using EmbeddingsTestHost host = await EmbeddingsTestHost.StartAsync(Env(), b =>
        {
            b.Services.AddEmbeddings(o => o.Remote.BatchSize = 4);
            b.Services.AddEmbeddings(o => o.Text.Model = "second/text");
        });

        EmbeddingsOptions options = host.Services.GetRequiredService<IOptions<EmbeddingsOptions>>().Value;
        Assert.Equal((4, "second/text"), (options.Remote.BatchSize, options.Text.Model));
        Assert.Single(host.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<EmbeddingsStartupService>());
        Assert.Single(host.Logs.Entries, e => e.Message.StartsWith("Visual embedding mode:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddCache_LocalMode_TheLoadedModelIsCachedAndARepeatedInputIsNotRecomputed()
    {
        await using EmbeddingsTestHost host = await EmbeddingsTestHost.StartAsync(Env(), b => b.Services.AddEmbeddings().AddCache(o => o.KeyPrefix = "test:"));
        var text = (LazyEmbeddingProvider)host.Services.GetRequiredKeyedService<IEmbeddingProvider>(EmbeddingsServiceKeys.Text);

        EmbeddingResult first = (await text.EmbedAsync(["same text"], cancellationToken: Ct))[0];
        EmbeddingResult second = (await text.EmbedAsync(["same text"], cancellationToken: Ct))[0];

        var cache = Assert.IsType<CachingEmbeddingProvider>(text.Loaded);
        Assert.Equal("test:", cache.Options.KeyPrefix);
        Assert.Equal(1, Assert.Single(host.Loader.Loaded).Calls);
        Assert.Equal((first.ProviderName, second.ProviderName), ("local-onnx", CachingEmbeddingProvider.HitProviderName));
        Assert.Equal(first.Vector.ToArray(), second.Vector.ToArray());
    }

    [Fact]
    public async Task AddCache_RemoteModeFromConfiguration_TheCacheWrapsTheFallback()
    {
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 8);
        Dictionary<string, string?> env = Env(
            ("VISUAL_EMBEDDING_MODE", "remote"),
            ("HUGGINGFACE_API_KEY", ApiKey),
            ("HUGGINGFACE_API_URL", server.BaseUrl.ToString()),
            ("Embeddings:Cache:MemorySizeLimitBytes", "1048576"));
        await using EmbeddingsTestHost host = await EmbeddingsTestHost.StartAsync(env);

        var cache = Assert.IsType<CachingEmbeddingProvider>(host.Services.GetRequiredKeyedService<IEmbeddingProvider>(EmbeddingsServiceKeys.Image));
        Assert.Equal(1048576, cache.Options.MemorySizeLimitBytes);
        Assert.IsType<FallbackProvider>(cache.GetService<FallbackProvider>());

        // The remote dimension is learned from the first answer (and is part of the key): one call first.
        await cache.EmbedAsync(["warm-up"], cancellationToken: Ct);
        EmbeddingResult computed = (await cache.EmbedAsync(["tile"], cancellationToken: Ct))[0];
        EmbeddingResult hit = (await cache.EmbedAsync(["tile"], cancellationToken: Ct))[0];
        Assert.Equal(("huggingface", CachingEmbeddingProvider.HitProviderName), (computed.ProviderName, hit.ProviderName));
        Assert.Equal(2, server.TotalRequests);
    }

    [Fact]
    public async Task AddUsageObserver_SeveralObservers_EachGetsEveryRecordEvenWhenOneThrows()
    {
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 8);
        var first = new RecordingUsageObserver();
        var throwing = new RecordingUsageObserver { OnRecord = _ => throw new InvalidOperationException("observer bug") };
        var last = new RecordingUsageObserver();
        Dictionary<string, string?> env = Env(
            ("VISUAL_EMBEDDING_MODE", "remote"),
            ("HUGGINGFACE_API_KEY", ApiKey),
            ("HUGGINGFACE_API_URL", server.BaseUrl.ToString()));
        await using EmbeddingsTestHost host = await EmbeddingsTestHost.StartAsync(env, b => b.Services.AddEmbeddings()
            .AddUsageObserver(first)
            .AddUsageObserver(throwing)
            .AddUsageObserver(last));

        await host.Services.GetRequiredKeyedService<IEmbeddingProvider>(EmbeddingsServiceKeys.Image).EmbedAsync(["a", "b"], cancellationToken: Ct);

        foreach (RecordingUsageObserver observer in (RecordingUsageObserver[])[first, throwing, last])
        {
            EmbeddingUsageRecordAssert(Assert.Single(observer.Records));
        }

        CapturedLog warning = Assert.Single(host.Logs.Entries, e => e.EventId.Name == "EmbeddingUsageObserverFailed");
        Assert.Contains("usage observer RecordingUsageObserver threw", warning.Message, StringComparison.Ordinal);

        static void EmbeddingUsageRecordAssert(Diagnostics.EmbeddingUsageRecord record) =>
            Assert.Equal(("huggingface", 2, Diagnostics.EmbeddingCallOutcome.Succeeded), (record.ProviderName, record.Inputs, record.Outcome));
    }

    [Fact]
    public async Task AddUsageObserver_ByType_IsCreatedByTheContainerAndReceivesRecords()
    {
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 8);
        Dictionary<string, string?> env = Env(
            ("VISUAL_EMBEDDING_MODE", "remote"),
            ("HUGGINGFACE_API_KEY", ApiKey),
            ("HUGGINGFACE_API_URL", server.BaseUrl.ToString()));
        await using EmbeddingsTestHost host = await EmbeddingsTestHost.StartAsync(env, b => b.Services.AddEmbeddings()
            .AddUsageObserver<RecordingUsageObserver>()
            .AddUsageObserver<RecordingUsageObserver>());

        await host.Services.GetRequiredKeyedService<IEmbeddingProvider>(EmbeddingsServiceKeys.Image).EmbedAsync(["a"], cancellationToken: Ct);

        var observer = Assert.IsType<RecordingUsageObserver>(Assert.Single(host.Services.GetServices<Diagnostics.IEmbeddingUsageObserver>()));
        Assert.Single(observer.Records);
    }

    internal static Dictionary<string, string?> Env(params (string Name, string? Value)[] variables) =>
        variables.ToDictionary(v => v.Name, v => v.Value);
}
