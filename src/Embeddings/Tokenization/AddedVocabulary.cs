using System.Buffers;

namespace Embeddings.Tokenization;

/// <summary>
/// Finds added tokens in the input before the normal pipeline runs (Hugging Face's <c>AddedVocabulary</c>): tokens
/// with <c>normalized: false</c> are matched on the raw text, the rest of the text is normalized, then tokens with
/// <c>normalized: true</c> are matched on the normalized pieces. Matching is leftmost-longest, with the
/// <c>single_word</c>, <c>lstrip</c> and <c>rstrip</c> rules applied to each match.
/// </summary>
internal sealed class AddedVocabulary
{
    private readonly AddedToken[] _tokens;
    private readonly Dictionary<string, AddedToken> _byContent;
    private readonly Dictionary<int, AddedToken> _byId;
    private readonly Matcher _raw;
    private readonly Matcher _normalized;

    public AddedVocabulary(IReadOnlyList<AddedToken> tokens, Normalizer? normalizer)
    {
        _byContent = new Dictionary<string, AddedToken>(StringComparer.Ordinal);
        _byId = [];
        var ordered = new List<AddedToken>();
        foreach (AddedToken token in tokens)
        {
            if (token.Content.Length == 0)
            {
                continue;
            }

            _byContent[token.Content] = token;
            _byId[token.Id] = token;
            ordered.Add(token);
        }

        _tokens = [.. ordered];

        // Special tokens first, then the others, each in file order, as Hugging Face builds its tries.
        var raw = new List<(string, AddedToken)>();
        var normalized = new List<(string, AddedToken)>();
        foreach (AddedToken token in _tokens.Where(t => t.Special).Concat(_tokens.Where(t => !t.Special)))
        {
            if (token.Normalized)
            {
                normalized.Add((normalizer is null ? token.Content : normalizer.NormalizeString(token.Content), token));
            }
            else
            {
                raw.Add((token.Content, token));
            }
        }

        _raw = new Matcher(raw);
        _normalized = new Matcher(normalized);
    }

    /// <summary>Gets every added token.</summary>
    public IReadOnlyList<AddedToken> Tokens => _tokens;

    public bool TryGetByContent(string content, out AddedToken token) => _byContent.TryGetValue(content, out token!);

    public bool TryGetById(int id, out AddedToken token) => _byId.TryGetValue(id, out token!);

    /// <summary>Splits the workspace input into pieces: added tokens, and normalized text between them.</summary>
    public void ExtractAndNormalize(Workspace ws, Normalizer? normalizer)
    {
        ws.BeginPass();
        int length = ws.Original.Length;
        if (length > 0)
        {
            Piece whole = ws.AddOriginal(0, length);
            if (_raw.IsEmpty)
            {
                ws.Keep(whole);
            }
            else
            {
                _raw.Split(ws, whole);
            }
        }

        ws.EndPass();

        ws.BeginPass();
        for (int i = 0; i < ws.PieceCount; i++)
        {
            Piece piece = ws.Pieces[i];
            if (piece.IsTokenized)
            {
                ws.Keep(piece);
                continue;
            }

            if (normalizer is not null)
            {
                piece = normalizer.Normalize(ws, piece);
            }

            if (_normalized.IsEmpty)
            {
                ws.Emit(piece);
            }
            else
            {
                _normalized.Split(ws, piece);
            }
        }

        ws.EndPass();
    }

    private sealed class Matcher
    {
        private readonly CharTrie _trie = new();
        private readonly AddedToken[] _tokens;
        private readonly SearchValues<char> _firstChars;

        public Matcher(List<(string Pattern, AddedToken Token)> patterns)
        {
            _tokens = new AddedToken[patterns.Count];
            var first = new HashSet<char>();
            for (int i = 0; i < patterns.Count; i++)
            {
                (string pattern, AddedToken token) = patterns[i];
                _tokens[i] = token;
                if (pattern.Length > 0)
                {
                    // The first of identical patterns wins, as Aho-Corasick reports the lowest pattern index.
                    if (_trie.LongestMatch(pattern, 0, out int len) < 0 || len != pattern.Length)
                    {
                        _trie.Add(pattern, i);
                    }

                    first.Add(pattern[0]);
                }
            }

            _firstChars = SearchValues.Create([.. first]);
            IsEmpty = _trie.Count == 0;
        }

        public bool IsEmpty { get; }

        /// <summary>Emits the piece split around the added tokens found in it (Hugging Face's <c>find_matches</c>).</summary>
        public void Split(Workspace ws, in Piece piece)
        {
            int startOffset = 0;
            int pos = 0;
            int length = piece.Length;
            while (pos < length)
            {
                ReadOnlySpan<char> text = ws.Span(piece);
                int next = text[pos..].IndexOfAny(_firstChars);
                if (next < 0)
                {
                    break;
                }

                int start = pos + next;
                int index = _trie.LongestMatch(text, start, out int matchLength);
                if (index < 0)
                {
                    pos = start + 1;
                    continue;
                }

                int stop = start + matchLength;
                pos = stop;
                AddedToken token = _tokens[index];
                if (token.SingleWord)
                {
                    bool startSpace = start == 0 || !UnicodeChars.IsWord(UnicodeChars.CodePointBefore(text, start, out _));
                    bool stopSpace = stop == length || !UnicodeChars.IsWord(UnicodeChars.CodePointAt(text, stop, out _));
                    if (!startSpace || !stopSpace)
                    {
                        continue;
                    }
                }

                if (token.LeftStrip)
                {
                    int newStart = start;
                    while (newStart > 0)
                    {
                        int cp = UnicodeChars.CodePointBefore(text, newStart, out int n);
                        if (!UnicodeChars.IsWhitespace(cp))
                        {
                            break;
                        }

                        newStart -= n;
                    }

                    start = Math.Max(newStart, startOffset);
                }

                if (token.RightStrip)
                {
                    while (stop < length)
                    {
                        int cp = UnicodeChars.CodePointAt(text, stop, out int n);
                        if (!UnicodeChars.IsWhitespace(cp))
                        {
                            break;
                        }

                        stop += n;
                    }
                }

                if (startOffset < start)
                {
                    ws.Emit(ws.Slice(piece, startOffset, start));
                }

                Piece match = ws.Slice(piece, start, stop);
                match.TokenId = token.Id;
                ws.Emit(match);
                startOffset = stop;
            }

            if (startOffset != length)
            {
                ws.Emit(ws.Slice(piece, startOffset, length));
            }
        }
    }
}
