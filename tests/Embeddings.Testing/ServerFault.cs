namespace Embeddings.TestSupport;

/// <summary>A fault a <see cref="FaultInjectingServer"/> injects into a response.</summary>
internal sealed record ServerFault
{
    private ServerFault(ServerFaultKind kind) => Kind = kind;

    public ServerFaultKind Kind { get; }

    /// <summary>Gets the status code of a <see cref="ServerFaultKind.Status"/> fault.</summary>
    public int StatusCode { get; private init; }

    /// <summary>Gets the response headers of a <see cref="ServerFaultKind.Status"/> fault.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; private init; } = new Dictionary<string, string>();

    /// <summary>Gets the body of a <see cref="ServerFaultKind.Status"/> fault.</summary>
    public string? Body { get; private init; }

    /// <summary>Gets the delay of a <see cref="ServerFaultKind.Delay"/> fault.</summary>
    public TimeSpan Delay { get; private init; }

    public static ServerFault None { get; } = new(ServerFaultKind.None);

    public static ServerFault DropConnection { get; } = new(ServerFaultKind.DropConnection);

    public static ServerFault MalformedJson { get; } = new(ServerFaultKind.MalformedJson);

    public static ServerFault WrongDimensions { get; } = new(ServerFaultKind.WrongDimensions);

    public static ServerFault NaN { get; } = new(ServerFaultKind.NaN);

    public static ServerFault Overflow { get; } = new(ServerFaultKind.Overflow);

    public static ServerFault WrongCount { get; } = new(ServerFaultKind.WrongCount);

    public static ServerFault Html { get; } = new(ServerFaultKind.Html);

    /// <summary>An error status; the body defaults to a TEI-style <c>{"error": "..."}</c>.</summary>
    public static ServerFault Status(int statusCode, string? body = null, params (string Name, string Value)[] headers) =>
        new(ServerFaultKind.Status)
        {
            StatusCode = statusCode,
            Body = body ?? $$"""{"error":"injected failure {{statusCode}}","error_type":"Injected"}""",
            Headers = headers.ToDictionary(h => h.Name, h => h.Value),
        };

    /// <summary>A 429 with a <c>Retry-After</c> header (seconds or an HTTP date).</summary>
    public static ServerFault RateLimited(string retryAfter) => Status(429, null, ("Retry-After", retryAfter));

    /// <summary>A delay before a correct answer.</summary>
    public static ServerFault Slow(TimeSpan delay) => new(ServerFaultKind.Delay) { Delay = delay };
}
