using BenchmarkDotNet.Attributes;
using Embeddings.Remote;
using Embeddings.TestSupport;

namespace Embeddings.Benchmarks.Remote;

/// <summary>
/// The client overhead of <see cref="HuggingFaceProvider"/> per batch, against the least a hand-written client does
/// with a raw <see cref="HttpClient"/> (serialize, POST, deserialize <c>float[][]</c>; no resilience, no checks, no
/// normalization) to the same loopback TEI-style server. The server answers repeated requests from a cache, so its
/// own cost stays small and the difference is the client's.
/// </summary>
public class RemoteProviderBenchmark : RemoteClientBenchmark
{
    private FaultInjectingServer _server = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _server = await FaultInjectingServer.StartAsync(dimensions: 768, cacheResponses: true);
        CreateClients(new HttpClient { Timeout = Timeout.InfiniteTimeSpan }, _server.BaseUrl);

        // Fill the server's cache for both request shapes.
        await RawHttpClient();
        await Provider();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        DisposeClients();
        await _server.DisposeAsync();
    }
}
