namespace Embeddings.Tokenization;

/// <summary>
/// A template such as <c>[CLS] $A [SEP] $B:1 [SEP]:1</c>: each piece is either a sequence (with the type id its tokens
/// get) or a named special token (one or more ids, added only with special tokens on).
/// </summary>
internal sealed class TemplateProcessing : PostProcessor
{
    public TemplateProcessing(IReadOnlyList<TemplatePiece> single, IReadOnlyList<TemplatePiece> pair, IReadOnlyDictionary<string, IReadOnlyList<int>> specialTokens)
    {
        Single = single;
        Pair = pair;
        SpecialTokens = specialTokens;
        foreach (TemplatePiece piece in single.Concat(pair))
        {
            if (piece.SpecialToken is { } name && !specialTokens.ContainsKey(name))
            {
                throw new FormatException($"the template uses the special token '{name}' without defining it");
            }
        }
    }

    public IReadOnlyList<TemplatePiece> Single { get; }

    public IReadOnlyList<TemplatePiece> Pair { get; }

    public IReadOnlyDictionary<string, IReadOnlyList<int>> SpecialTokens { get; }

    public override int AddedTokens(bool isPair) =>
        (isPair ? Pair : Single).Where(p => p.SpecialToken is not null).Sum(p => SpecialTokens[p.SpecialToken!].Count);

    public override List<TokenEncoding> Process(List<TokenEncoding> encodings, bool addSpecialTokens)
    {
        IReadOnlyList<TemplatePiece> template = encodings.Count == 2 ? Pair : Single;
        var result = new List<TokenEncoding>(template.Count);
        foreach (TemplatePiece piece in template)
        {
            if (piece.SpecialToken is { } name)
            {
                if (addSpecialTokens)
                {
                    result.Add(TokenEncoding.Special(SpecialTokens[name], piece.TypeId));
                }
            }
            else
            {
                TokenEncoding sequence = encodings[piece.SequenceIndex];
                sequence.SetTypeIds(piece.TypeId);
                result.Add(sequence.Clone());
            }
        }

        return result;
    }
}
