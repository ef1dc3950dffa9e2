namespace Embeddings.Tokenization;

/// <summary>Which side of a sequence padding tokens are added to.</summary>
public enum PaddingSide
{
    /// <summary>After the tokens (BERT, CLIP, SigLIP).</summary>
    Right,

    /// <summary>Before the tokens (decoder models such as Gemma, as configured).</summary>
    Left,
}
