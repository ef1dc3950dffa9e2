namespace Embeddings.DependencyInjection;

/// <summary>Where a lazily loaded local model stands.</summary>
internal enum ModelLoadState
{
    /// <summary>Not asked for yet.</summary>
    NotLoaded,

    /// <summary>Being loaded (downloaded, read, sessions created).</summary>
    Loading,

    /// <summary>Loaded: calls go to it.</summary>
    Loaded,

    /// <summary>The last load failed; the next call after a short pause tries again.</summary>
    Failed,
}
