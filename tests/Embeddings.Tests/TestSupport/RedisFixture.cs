namespace Embeddings.TestSupport;

/// <summary>One Redis server shared by a test class; tests keep apart by key prefix.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private RedisServer? _server;

    internal RedisServer Server => _server ?? throw new InvalidOperationException("The Redis server is not started.");

    public async ValueTask InitializeAsync() => _server = await RedisServer.StartAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
