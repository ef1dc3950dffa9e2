using System.Net;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Embeddings.Remote.Wire;
using Embeddings.TestSupport;

namespace Embeddings.Benchmarks.Remote;

/// <summary>
/// The client's own CPU and allocation cost, with the network taken out: both clients talk to an in-memory handler
/// that answers every request with the same canned TEI response. What remains is request building, response reading
/// and parsing, and (for the provider) resilience, checks, normalization and telemetry hooks.
/// </summary>
public class RemoteClientOverheadBenchmark : RemoteClientBenchmark
{
    [GlobalSetup]
    public void Setup()
    {
        float[][] vectors = [.. TextsFor(BatchSize).Select(t => FakeEmbedding.ForText(t, 768))];
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(vectors, RemoteJsonContext.Default.SingleArrayArray);
        CreateClients(new HttpClient(new CannedHandler(body)) { Timeout = Timeout.InfiniteTimeSpan }, new Uri("http://127.0.0.1:9/"));
    }

    [GlobalCleanup]
    public void Cleanup() => DisposeClients();

    private sealed class CannedHandler(byte[] body) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // Read the request as a server would, so request serialization is not optimized away.
            await request.Content!.CopyToAsync(Stream.Null, cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } } };
        }
    }
}
