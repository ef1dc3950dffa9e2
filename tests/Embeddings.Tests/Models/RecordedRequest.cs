namespace Embeddings.Models;

/// <summary>One request a <see cref="FakeHub"/> server received.</summary>
internal sealed record RecordedRequest(string Server, string Method, string Path, string? Authorization, string? Range);
