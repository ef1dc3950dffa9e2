namespace Embeddings.Tokenization;

/// <summary>Each Unicode White_Space character.</summary>
internal sealed class WhitespaceCharPattern : CharClassPattern
{
    public static readonly WhitespaceCharPattern Instance = new();

    protected override bool IsMatch(int cp) => UnicodeChars.IsWhitespace(cp);
}
