namespace Embeddings.TestSupport;

/// <summary>What a <see cref="FaultInjectingServer"/> does wrong.</summary>
internal enum ServerFaultKind
{
    /// <summary>Nothing: a correct answer.</summary>
    None,

    /// <summary>An error status with optional headers and body.</summary>
    Status,

    /// <summary>A delay, then a correct answer (or nothing, if the client gave up).</summary>
    Delay,

    /// <summary>The connection is aborted without a response.</summary>
    DropConnection,

    /// <summary>A 200 whose body is cut-off JSON.</summary>
    MalformedJson,

    /// <summary>A 200 whose vectors have one dimension too many.</summary>
    WrongDimensions,

    /// <summary>A 200 whose first value is written as Python writes NaN (a bare <c>NaN</c> token).</summary>
    NaN,

    /// <summary>A 200 whose first value is a number beyond float32 range (it reads as infinity).</summary>
    Overflow,

    /// <summary>A 200 with one vector fewer than inputs.</summary>
    WrongCount,

    /// <summary>A 200 with an HTML page (a proxy's error page) instead of JSON.</summary>
    Html,
}
