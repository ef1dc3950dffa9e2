using Embeddings.Remote;

namespace Embeddings.DependencyInjection;

/// <summary>What a set of <see cref="EmbeddingsOptions"/> amounts to: which providers are built, and how.</summary>
internal sealed class EmbeddingsPlan
{
    private EmbeddingsPlan(EmbeddingsOptions options)
    {
        Options = options;
        RemoteRequested = options.Visual.Enabled && options.Visual.Mode == VisualEmbeddingMode.Remote;
        Remote = options.Remote.Clone();

        // A blank key (configuration that writes unset secrets as blanks) is no key.
        Remote.ApiKey = string.IsNullOrWhiteSpace(options.Remote.ApiKey) ? null : options.Remote.ApiKey.Trim();
        RemoteActive = RemoteRequested && Remote.ApiKey is not null;
        RemoteModelDefaulted = string.IsNullOrWhiteSpace(options.Remote.ModelId);
        Remote.ModelId = RemoteModelDefaulted ? options.Visual.Model : options.Remote.ModelId;
    }

    public EmbeddingsOptions Options { get; }

    /// <summary>Gets a value indicating whether remote mode was asked for (with or without a key).</summary>
    public bool RemoteRequested { get; }

    /// <summary>Gets a value indicating whether the visual provider is a remote service with the local fallback:
    /// remote mode was asked for and an API key is configured.</summary>
    public bool RemoteActive { get; }

    /// <summary>Gets a value indicating whether remote mode was asked for without a key (so the local model runs).</summary>
    public bool RemoteWithoutKey => RemoteRequested && !RemoteActive;

    /// <summary>Gets a value indicating whether the remote model id was not set, so it is the visual model's.</summary>
    public bool RemoteModelDefaulted { get; }

    /// <summary>Gets the remote options with the model id defaulted to the visual model and a blank key removed.</summary>
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
