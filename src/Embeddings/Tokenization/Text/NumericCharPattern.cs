namespace Embeddings.Tokenization;

/// <summary>Each numeric character (Rust's <c>char::is_numeric</c>: Nd, Nl, No).</summary>
internal sealed class NumericCharPattern : CharClassPattern
{
    public static readonly NumericCharPattern Instance = new();

    protected override bool IsMatch(int cp) => UnicodeChars.IsNumber(cp);
}
