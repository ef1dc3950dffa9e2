namespace Embeddings.Tokenization;

/// <summary>
/// The tokenization pipeline of a tokenizer.json (Hugging Face's <c>TokenizerImpl</c>): added tokens, normalizer,
/// pre-tokenizer, model, then truncation, post-processor and padding. Immutable and safe for concurrent use; each
/// thread encodes in its own <see cref="Workspace"/>.
/// </summary>
internal sealed class TokenizerPipeline
{
    // Per-thread scratch above this many characters is not kept after use, so one huge input does not pin memory.
    private const int MaxRetainedChars = 1 << 20;

    [ThreadStatic]
    private static Workspace? t_workspace;

    private readonly TokenizerDefinition _definition;
    private readonly AddedVocabulary _added;
    private readonly HashSet<string> _specialContents;

    public TokenizerPipeline(TokenizerDefinition definition)
    {
        _definition = definition;
        PostProcessor = definition.PostProcessor;
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

    /// <summary>Gets or sets the post-processor (replaced once, at construction, when tokenizer_config.json asks).</summary>
    public PostProcessor? PostProcessor { get; set; }

    public AddedVocabulary AddedVocabulary => _added;

    public int VocabularySize { get; }

    /// <summary>Gets the number of special tokens the post-processor adds.</summary>
    public int AddedTokenCount(bool isPair) => PostProcessor?.AddedTokens(isPair) ?? 0;

    public int TokenToId(string token) =>
        _added.TryGetByContent(token, out AddedToken added) ? added.Id : _definition.Model.TokenToId(token);

    public string? IdToToken(int id) =>
        _added.TryGetById(id, out AddedToken added) ? added.Content : _definition.Model.IdToToken(id);

    /// <summary>Encodes one sequence into tokens (no special tokens, truncation or padding).</summary>
    /// <param name="text">The text.</param>
    /// <param name="typeId">The type id of its tokens.</param>
    /// <param name="stopAt">When truncating, Hugging Face stops tokenizing once a sequence has this many tokens,
    /// after the pre-tokenized word that reaches it; the pair truncation rule then sees those lengths.</param>
    /// <param name="fromEnd">With left truncation, words are tokenized from the end of the text.</param>
    public TokenEncoding EncodeSequence(string text, int typeId, int stopAt = int.MaxValue, bool fromEnd = false)
    {
        Workspace ws = t_workspace ??= new Workspace();
        ws.Reset(text);
        _added.ExtractAndNormalize(ws, _definition.Normalizer);
        _definition.PreTokenizer?.PreTokenize(ws);
        TokenSink sink = ws.Tokens;
        if (!fromEnd)
        {
            for (int i = 0; i < ws.PieceCount && sink.Count < stopAt; i++)
            {
                TokenizePiece(ws, ws.Pieces[i]);
            }

            TokenEncoding result = TokenEncoding.FromTokens(sink, typeId, text);
            Release(ws);
            return result;
        }

        // From the end: tokenize the last words first, then put their tokens back in text order.
        int first = ws.PieceCount;
        Span<int> blockStarts = ws.PieceCount <= 256 ? stackalloc int[ws.PieceCount + 1] : new int[ws.PieceCount + 1];
        int blocks = 0;
        while (first > 0 && sink.Count < stopAt)
        {
            first--;
            blockStarts[blocks++] = sink.Count;
            TokenizePiece(ws, ws.Pieces[first]);
        }

        blockStarts[blocks] = sink.Count;
        var e = new TokenEncoding(sink.Count) { Text = text };
        int at = 0;
        for (int b = blocks - 1; b >= 0; b--)
        {
            for (int k = blockStarts[b]; k < blockStarts[b + 1]; k++, at++)
            {
                e.Ids[at] = sink.Ids[k];
                e.Starts[at] = sink.Starts[k];
                e.Ends[at] = sink.Ends[k];
                if (sink.Values is not null && sink.Values.TryGetValue(k, out string? value))
                {
                    (e.Values ??= [])[at] = value;
                }
            }
        }

        e.InitSequence(typeId);
        Release(ws);
        return e;
    }

    private static void Release(Workspace ws)
    {
        if (ws.Text.Length > MaxRetainedChars || ws.Tokens.Ids.Length > MaxRetainedChars)
        {
            t_workspace = null;
        }
    }

    private void TokenizePiece(Workspace ws, in Piece piece)
    {
        if (piece.IsTokenized)
        {
            // Offset trimming reads a token's text; an added token matched with stripped whitespace has more
            // text than its content.
            if (_added.TryGetById(piece.TokenId, out AddedToken added) && !ws.Span(piece).SequenceEqual(added.Content))
            {
                (ws.Tokens.Values ??= [])[ws.Tokens.Count] = new string(ws.Span(piece));
            }

            ws.Tokens.AddRelative(ws, piece, piece.TokenId, 0, piece.Length);
        }
        else
        {
            _definition.Model.Tokenize(ws, piece);
        }
    }

    /// <summary>Encodes a sequence or a pair and post-processes it: truncation (keeping room for the special tokens),
    /// the post-processor, then single-encoding padding.</summary>
    public TokenEncoding Encode(string text, string? pair, bool addSpecialTokens, TruncationParams? truncation, PaddingParams? padding)
    {
        int stopAt = truncation?.MaxLength ?? int.MaxValue;
        bool fromEnd = truncation?.Side == TruncationSide.Left;

        // The Rust library stops the first sequence early unless only the second is to be truncated.
        bool stopFirst = pair is null || truncation?.Strategy != TruncationStrategy.OnlySecond;
        TokenEncoding a = EncodeSequence(text, 0, stopFirst ? stopAt : int.MaxValue, fromEnd);
        TokenEncoding? b = pair is null ? null : EncodeSequence(pair, 1, stopAt, fromEnd);
        return PostProcess(a, b, addSpecialTokens, truncation, padding);
    }

    public TokenEncoding PostProcess(TokenEncoding a, TokenEncoding? b, bool addSpecialTokens, TruncationParams? truncation, PaddingParams? padding)
    {
        if (truncation is { } t)
        {
            int added = addSpecialTokens ? AddedTokenCount(b is not null) : 0;
            int maxLength = t.MaxLength - added;

            // Below the special-token count the Rust library's unsigned subtraction wraps to "no limit": only the
            // early stop above shortens the sequences then. Reproduced rather than refused, as it is deterministic.
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
                // Keep the shorter sequence if it fits in half the room, else give each half (the longer one gets
                // the odd token).
                int n1 = a.Length, n2 = b.Length;
                bool swap = n1 > n2;
                if (swap)
                {
                    (n1, n2) = (n2, n1);
                }

                n2 = n1 > maxLength ? n1 : Math.Max(n1, maxLength - n1);
                if (n1 + n2 > maxLength)
                {
                    n1 = maxLength / 2;
                    n2 = n1 + (maxLength % 2);
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
