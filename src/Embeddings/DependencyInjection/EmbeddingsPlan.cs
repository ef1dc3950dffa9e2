using Embeddings.Remote;

namespace Embeddings.DependencyInjection;

/// <summary>What a set of <see cref="EmbeddingsOptions"/> amounts to: which providers are built, and how.</summary>
internal sealed class EmbeddingsPlan
{
    private EmbeddingsPlan(EmbeddingsOptions options)
    {
        Options = options;
        RemoteRequested = options.Visual.Enabled && options.Visual.Mode == VisualEmbeddingMode.Remote;
        RemoteActive = RemoteRequested && !string.IsNullOrEmpty(options.Remote.ApiKey);
        Remote = options.Remote.Clone();
        Remote.ModelId = string.IsNullOrWhiteSpace(options.Remote.ModelId) ? options.Visual.Model : options.Remote.ModelId;
    }

    public EmbeddingsOptions Options { get; }

    /// <summary>Gets a value indicating whether remote mode was asked for (with or without a key).</summary>
    public bool RemoteRequested { get; }

    /// <summary>Gets a value indicating whether the visual provider is a remote service with the local fallback:
    /// remote mode was asked for and an API key is configured.</summary>
    public bool RemoteActive { get; }

    /// <summary>Gets a value indicating whether remote mode was asked for without a key (so the local model runs).</summary>
    public bool RemoteWithoutKey => RemoteRequested && !RemoteActive;

    /// <summary>Gets the remote options with the model id defaulted to the visual model.</summary>
    public HuggingFaceProviderOptions Remote { get; }

    /// <summary>Gets a value indicating whether the remote and local visual models are the same (ids compared ignoring
    /// case, as the fallback provider compares them).</summary>
    public bool SameVisualModel => string.Equals(Remote.ModelId, Options.Visual.Model, StringComparison.OrdinalIgnoreCase);

    public static EmbeddingsPlan For(EmbeddingsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new EmbeddingsPlan(options);
    }
}
