namespace Embeddings.TestSupport;

/// <summary>What <see cref="FaultInjectingServer"/> received in one request.</summary>
/// <param name="Route">The route (one of the server's <c>*Route</c> constants).</param>
/// <param name="Inputs">How many inputs the body carried (0 when it was refused before parsing).</param>
/// <param name="Authorization">The Authorization header, if any.</param>
/// <param name="PromptName">The prompt name the body named.</param>
/// <param name="Dimensions">The dimensions the body asked for.</param>
/// <param name="Normalize">The normalize flag the body carried.</param>
internal sealed record RecordedRequest(string Route, int Inputs, string? Authorization, string? PromptName, int? Dimensions, bool? Normalize)
{
    /// <summary>Gets the Inference Endpoint <c>parameters.mode</c>, if any.</summary>
    public string? Mode { get; init; }

    /// <summary>Gets the OpenAI-style <c>model</c>, if any.</summary>
    public string? Model { get; init; }
}
