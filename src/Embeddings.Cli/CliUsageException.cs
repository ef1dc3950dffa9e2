namespace Embeddings.Cli;

/// <summary>A usage or configuration error found while a command runs (exit code 1): its message is the one line the
/// user sees.</summary>
internal sealed class CliUsageException : Exception
{
    public CliUsageException(string message)
        : base(message)
    {
    }

    public CliUsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
