using System.Runtime.CompilerServices;

namespace Embeddings;

/// <summary>The argument checks every provider's <see cref="IEmbeddingProvider.EmbedAsync"/> starts with.</summary>
internal static class EmbeddingInputGuard
{
    /// <summary>Throws <see cref="ArgumentNullException"/> when the list or one of its items is null, naming the item.</summary>
    public static void ThrowIfNullOrHasNull(IReadOnlyList<EmbeddingInput> inputs, [CallerArgumentExpression(nameof(inputs))] string? paramName = null)
    {
        ArgumentNullException.ThrowIfNull(inputs, paramName);
        for (int i = 0; i < inputs.Count; i++)
        {
            if (inputs[i] is null)
            {
                throw new ArgumentNullException(paramName, $"Input {i} is null.");
            }
        }
    }
}
