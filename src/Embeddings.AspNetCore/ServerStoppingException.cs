namespace Embeddings.AspNetCore;

/// <summary>Queued or running work was dropped because the server stopped (answered 503).</summary>
internal sealed class ServerStoppingException : Exception
{
    public ServerStoppingException()
        : base("The server is shutting down.")
    {
    }
}
