namespace Embeddings.Tokenization;

/// <summary>Each occurrence of one scalar value.</summary>
internal sealed class SingleCharPattern(int value) : CharClassPattern
{
    protected override bool IsMatch(int cp) => cp == value;
}
