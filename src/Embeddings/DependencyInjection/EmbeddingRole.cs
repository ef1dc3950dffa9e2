using Embeddings.Composition;
using Embeddings.Remote;

namespace Embeddings.DependencyInjection;

/// <summary>One provider <c>AddEmbeddings()</c> built (the text or the visual one) and the parts it is made of.</summary>
internal sealed class EmbeddingRole
{
    public EmbeddingRole(string key, IEmbeddingProvider provider, LazyEmbeddingProvider local, HuggingFaceProvider? remote, FallbackProvider? fallback)
    {
        Key = key;
        Provider = provider;
        Local = local;
        Remote = remote;
        Fallback = fallback;
    }

    /// <summary>Gets the service key: <see cref="EmbeddingsServiceKeys.Text"/> or <see cref="EmbeddingsServiceKeys.Image"/>.</summary>
    public string Key { get; }

    /// <summary>Gets the provider callers receive (the outermost of the chain).</summary>
    public IEmbeddingProvider Provider { get; }

    /// <summary>Gets the local model (the whole provider in local mode, the fallback in remote mode).</summary>
    public LazyEmbeddingProvider Local { get; }

    /// <summary>Gets the remote client, in remote mode.</summary>
    public HuggingFaceProvider? Remote { get; }

    /// <summary>Gets the fallback from the remote client to the local model, in remote mode.</summary>
    public FallbackProvider? Fallback { get; }
}
