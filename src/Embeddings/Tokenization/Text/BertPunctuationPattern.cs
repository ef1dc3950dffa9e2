namespace Embeddings.Tokenization;

/// <summary>Each BERT punctuation character (ASCII punctuation or a Unicode P category).</summary>
internal sealed class BertPunctuationPattern : CharClassPattern
{
    public static readonly BertPunctuationPattern Instance = new();

    protected override bool IsMatch(int cp) => UnicodeChars.IsBertPunctuation(cp);
}
