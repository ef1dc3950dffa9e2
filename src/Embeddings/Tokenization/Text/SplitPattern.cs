namespace Embeddings.Tokenization;

/// <summary>Something to split or replace on: finds matches and the gaps between them (Hugging Face's <c>Pattern</c>).</summary>
internal abstract class SplitPattern
{
    /// <summary>Fills <paramref name="matches"/> with contiguous ranges covering <paramref name="text"/>.</summary>
    public abstract void FindMatches(ReadOnlySpan<char> text, MatchList matches);
}
