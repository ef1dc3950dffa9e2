using BenchmarkDotNet.Attributes;
using Embeddings.Benchmarks.Cache;
using Embeddings.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Embeddings.Benchmarks.DependencyInjection;

/// <summary>
/// What the provider <c>AddEmbeddings()</c> registers adds to a call once its model is loaded (the lazy-loading wrapper
/// around the local model), against calling that model directly. The "model" does no work, so nothing hides the cost.
/// </summary>
public class AddEmbeddingsBenchmarks
{
    private const int Dimensions = 768;

    private IHost _host = null!;
    private FakeProvider _model = null!;
    private IEmbeddingProvider _registered = null!;
    private EmbeddingInput[] _inputs = [];

    [Params(1, 32)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _model = new FakeProvider(Dimensions);
        var settings = new HostApplicationBuilderSettings { DisableDefaults = true, Configuration = new ConfigurationManager() };
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(settings);
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<ILocalModelLoader>(new FixedLoader(_model));
        builder.Services.AddEmbeddings(o => o.ModelLoading = EmbeddingModelLoading.BeforeStartup);
        _host = builder.Build();
        await _host.StartAsync();
        _registered = _host.Services.GetRequiredKeyedService<IEmbeddingProvider>(EmbeddingsServiceKeys.Text);
        _inputs = [.. Enumerable.Range(0, BatchSize).Select(i => EmbeddingInput.FromText($"a short product description number {i}, in plain words"))];
        if ((await _registered.EmbedAsync(_inputs))[0].ProviderName != "fake")
        {
            throw new InvalidOperationException("The registered provider does not reach the loaded model.");
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    [Benchmark(Baseline = true)]
    public Task<IReadOnlyList<EmbeddingResult>> ModelDirect() => _model.EmbedAsync(_inputs);

    [Benchmark]
    public Task<IReadOnlyList<EmbeddingResult>> ThroughAddEmbeddings() => _registered.EmbedAsync(_inputs);

    private sealed class FixedLoader(IEmbeddingProvider model) : ILocalModelLoader
    {
        public Task<IEmbeddingProvider> LoadAsync(LocalModelRequest request, CancellationToken cancellationToken) => Task.FromResult(model);
    }
}
