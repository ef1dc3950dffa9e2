namespace Embeddings.Tokenization;

/// <summary>One element of a template: a sequence ($A = 0, $B = 1) or a special token, with a type id.</summary>
internal sealed record TemplatePiece(string? SpecialToken, int SequenceIndex, int TypeId)
{
    public static TemplatePiece Sequence(int index, int typeId) => new(null, index, typeId);

    public static TemplatePiece Token(string name, int typeId) => new(name, -1, typeId);
}
