namespace Embeddings.Remote;

/// <summary>A response body that is not a valid embedding response; becomes a
/// <see cref="RemoteFailureKind.MalformedResponse"/> error.</summary>
internal sealed class RemoteResponseException : Exception
{
    public RemoteResponseException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
