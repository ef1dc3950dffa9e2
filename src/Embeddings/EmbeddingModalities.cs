namespace Embeddings;

/// <summary>The kinds of input a provider embeds.</summary>
[Flags]
public enum EmbeddingModalities
{
    /// <summary>No modality.</summary>
    None = 0,

    /// <summary>Text.</summary>
    Text = 1,

    /// <summary>Images.</summary>
    Image = 2,
}
