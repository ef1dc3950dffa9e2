namespace Embeddings.Tokenization;

/// <summary>A tokenizer.json normalizer: rewrites a piece of text and keeps its alignment to the input.</summary>
internal abstract class Normalizer
{
    /// <summary>Normalizes a piece; returns it unchanged or a rewritten copy.</summary>
    public abstract Piece Normalize(Workspace ws, Piece piece);

    /// <summary>Normalizes a whole string (used for added tokens' content at load time).</summary>
    public string NormalizeString(string text)
    {
        var ws = new Workspace();
        ws.Reset(text);
        Piece piece = Normalize(ws, ws.AddOriginal(0, text.Length));
        return new string(ws.Span(piece));
    }
}
