namespace Embeddings.TestSupport;

/// <summary>One PostgreSQL server shared by a test class or collection; tests keep apart by database.</summary>
public sealed class PostgreSqlFixture : IAsyncLifetime
{
    private PostgreSqlServer? _server;

    internal PostgreSqlServer Server => _server ?? throw new InvalidOperationException("The PostgreSQL server is not started.");

    public async ValueTask InitializeAsync() => _server = await PostgreSqlServer.StartAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
