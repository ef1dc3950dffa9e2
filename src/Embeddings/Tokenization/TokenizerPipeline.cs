namespace Embeddings.Tokenization;

/// <summary>
/// The tokenization pipeline of a tokenizer.json (Hugging Face's <c>TokenizerImpl</c>): added tokens, normalizer,
/// pre-tokenizer, model, then truncation, post-processor and padding. Immutable and safe for concurrent use; each
/// thread encodes in its own <see cref="Workspace"/>.
/// </summary>
internal sealed class TokenizerPipeline
{
    [ThreadStatic]
    private static Workspace? t_workspace;

    private readonly TokenizerDefinition _definition;
    private readonly AddedVocabulary _added;
    private readonly HashSet<string> _specialContents;

    public TokenizerPipeline(TokenizerDefinition definition, PostProcessor? postProcessor)
    {
        _definition = definition;
        PostProcessor = postProcessor;
        _added = new AddedVocabulary(definition.AddedTokens, definition.Normalizer);
        _specialContents = new HashSet<string>(definition.AddedTokens.Where(t => t.Special).Select(t => t.Content), StringComparer.Ordinal);
        int extra = 0;
        foreach (AddedToken t in _added.Tokens)
        {
            if (definition.Model.TokenToId(t.Content) < 0)
            {
                extra++;
            }
        }

        VocabularySize = definition.Model.VocabularySize + extra;
    }

    public TokenizerModel Model => _definition.Model;

    public PostProcessor? PostProcessor { get; }

    public AddedVocabulary AddedVocabulary => _added;

    public int VocabularySize { get; }

    /// <summary>Gets the number of special tokens the post-processor adds.</summary>
    public int AddedTokenCount(bool isPair) => PostProcessor?.AddedTokens(isPair) ?? 0;

    public int TokenToId(string token) =>
        _added.TryGetByContent(token, out AddedToken added) ? added.Id : _definition.Model.TokenToId(token);

    public string? IdToToken(int id) =>
        _added.TryGetById(id, out AddedToken added) ? added.Content : _definition.Model.IdToToken(id);

    public bool IsSpecialToken(int id) => _added.TryGetById(id, out AddedToken added) && added.Special;

    /// <summary>Encodes one sequence into tokens (no special tokens, truncation or padding).</summary>
    public TokenEncoding EncodeSequence(string text, int typeId)
    {
        Workspace ws = t_workspace ??= new Workspace();
        ws.Reset(text);
        _added.ExtractAndNormalize(ws, _definition.Normalizer);
        _definition.PreTokenizer?.PreTokenize(ws);
        TokenizerModel model = _definition.Model;
        for (int i = 0; i < ws.PieceCount; i++)
        {
            Piece piece = ws.Pieces[i];
            if (piece.IsTokenized)
            {
                ws.Tokens.AddRelative(ws, piece, piece.TokenId, 0, piece.Length);
            }
            else
            {
                model.Tokenize(ws, piece);
            }
        }

        return TokenEncoding.FromTokens(ws.Tokens, typeId);
    }

    /// <summary>Encodes a sequence or a pair and post-processes it: truncation (keeping room for the special tokens),
    /// the post-processor, then single-encoding padding.</summary>
    public TokenEncoding Encode(string text, string? pair, bool addSpecialTokens, TruncationParams? truncation, PaddingParams? padding)
    {
        TokenEncoding a = EncodeSequence(text, 0);
        TokenEncoding? b = pair is null ? null : EncodeSequence(pair, 1);
        return PostProcess(a, b, addSpecialTokens, truncation, padding);
    }

    public TokenEncoding PostProcess(TokenEncoding a, TokenEncoding? b, bool addSpecialTokens, TruncationParams? truncation, PaddingParams? padding)
    {
        if (truncation is { } t)
        {
            int added = addSpecialTokens ? AddedTokenCount(b is not null) : 0;
            int maxLength = t.MaxLength - added;

            // Hugging Face subtracts in unsigned arithmetic: a limit below the special-token count wraps to "no limit".
            if (maxLength >= 0)
            {
                Truncate(a, b, maxLength, t.Strategy, t.Side);
            }
        }

        List<TokenEncoding> parts = b is null ? [a] : [a, b];
        if (PostProcessor is not null)
        {
            parts = PostProcessor.Process(parts, addSpecialTokens);
        }

        TokenEncoding result = TokenEncoding.Merge(parts);
        if (padding is { } p)
        {
            result.Pad(p.TargetLength(result.Length), p.PadId, p.PadTypeId, p.Side);
        }

        return result;
    }

    public string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens)
    {
        var tokens = new List<string>(ids.Length);
        foreach (int id in ids)
        {
            string? token = IdToToken(id);
            if (token is null || (skipSpecialTokens && _specialContents.Contains(token)))
            {
                continue;
            }

            tokens.Add(token);
        }

        if (_definition.Decoder is { } decoder)
        {
            return decoder.Decode(tokens);
        }

        if (_definition.UnsupportedDecoder is { } unsupported)
        {
            throw new NotSupportedException($"This tokenizer's decoder uses {unsupported}, which is not supported; encoding is unaffected.");
        }

        return string.Join(' ', tokens);
    }

    // Hugging Face's truncate_encodings (stride 0).
    private static void Truncate(TokenEncoding a, TokenEncoding? b, int maxLength, TruncationStrategy strategy, TruncationSide side)
    {
        if (maxLength == 0)
        {
            a.Truncate(0, side);
            b?.Truncate(0, side);
            return;
        }

        int total = a.Length + (b?.Length ?? 0);
        if (total <= maxLength)
        {
            return;
        }

        int toRemove = total - maxLength;
        switch (strategy)
        {
            case TruncationStrategy.LongestFirst when b is null:
                a.Truncate(total - toRemove, side);
                break;
            case TruncationStrategy.LongestFirst:
            {
                int n1 = a.Length, n2 = b.Length;
                bool swap = n1 > n2;
                if (swap)
                {
                    (n1, n2) = (n2, n1);
                }

                if (n1 > maxLength / 2)
                {
                    n1 = maxLength / 2;
                    n2 = n1 + (maxLength % 2);
                }
                else
                {
                    n2 = maxLength - n1;
                }

                if (swap)
                {
                    (n1, n2) = (n2, n1);
                }

                a.Truncate(n1, side);
                b.Truncate(n2, side);
                break;
            }

            default:
            {
                TokenEncoding target = strategy == TruncationStrategy.OnlyFirst ? a
                    : b ?? throw new ArgumentException("Truncation 'only second' needs a pair of sequences.");
                if (target.Length <= toRemove)
                {
                    throw new ArgumentException("The sequence to truncate is too short to fit the maximum length with the other sequence.");
                }

                target.Truncate(target.Length - toRemove, side);
                break;
            }
        }
    }
}
