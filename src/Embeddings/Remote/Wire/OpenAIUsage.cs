namespace Embeddings.Remote.Wire;

/// <summary>The <c>usage</c> object of an <see cref="OpenAIEmbeddingResponse"/>.</summary>
internal sealed class OpenAIUsage
{
    /// <summary>Gets the number of input tokens.</summary>
    public int PromptTokens { get; init; }

    /// <summary>Gets the total number of tokens.</summary>
    public int TotalTokens { get; init; }
}
