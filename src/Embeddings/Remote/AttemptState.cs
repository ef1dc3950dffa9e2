namespace Embeddings.Remote;

/// <summary>What every attempt of one batch shares: the serialized body (built once), where it goes, and a count of
/// the attempts actually sent.</summary>
internal sealed class AttemptState(Uri uri, ReadOnlyMemory<byte> body, int expectedCount, RequestSettings settings, IReadOnlyList<string>? texts)
{
    private int _attempts;

    public Uri Uri { get; } = uri;

    public ReadOnlyMemory<byte> Body { get; } = body;

    public int ExpectedCount { get; } = expectedCount;

    public RequestSettings Settings { get; } = settings;

    /// <summary>Gets the texts of the batch, so a server error message that echoes one can be redacted.</summary>
    public IReadOnlyList<string>? Texts { get; } = texts;

    public int Attempts => Volatile.Read(ref _attempts);

    public void CountAttempt() => Interlocked.Increment(ref _attempts);
}
