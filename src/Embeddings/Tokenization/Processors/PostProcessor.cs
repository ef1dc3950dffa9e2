namespace Embeddings.Tokenization;

/// <summary>A tokenizer.json post-processor: adds special tokens and sets type ids for one sequence or a pair.</summary>
internal abstract class PostProcessor
{
    /// <summary>Gets the number of special tokens added to a single sequence or a pair.</summary>
    public abstract int AddedTokens(bool isPair);

    /// <summary>Processes the encodings (one, or two for a pair) in place or into new ones, before they are merged.</summary>
    public abstract List<TokenEncoding> Process(List<TokenEncoding> encodings, bool addSpecialTokens);
}
