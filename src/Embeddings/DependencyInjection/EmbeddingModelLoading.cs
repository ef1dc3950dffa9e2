namespace Embeddings.DependencyInjection;

/// <summary>When the local models are loaded (loading can take seconds, and a hub model is downloaded first).</summary>
public enum EmbeddingModelLoading
{
    /// <summary>On the first call that needs the model; concurrent first calls share one load.</summary>
    OnFirstUse,

    /// <summary>In the background as soon as the host starts; the host does not wait, and the health checks report
    /// Unhealthy (Degraded, in remote mode) until the model is loaded.</summary>
    AtStartup,

    /// <summary>While the host starts: the host's start waits for the models and fails if one cannot be loaded.</summary>
    BeforeStartup,
}
