using Microsoft.Extensions.Logging;

namespace Embeddings.TestSupport;

/// <summary>One message captured by <see cref="CapturingLoggerProvider"/>.</summary>
internal sealed record CapturedLog(string Category, LogLevel Level, EventId EventId, string Message, string? Exception, IReadOnlyList<string> State);
