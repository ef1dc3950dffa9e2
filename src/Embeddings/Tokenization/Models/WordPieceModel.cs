namespace Embeddings.Tokenization;

/// <summary>WordPiece (BERT): greedy longest-match-first over each word, continuation pieces carrying a prefix
/// (<c>##</c>); a word with an unmatchable remainder, or longer than the limit, becomes the unknown token.</summary>
internal sealed class WordPieceModel : VocabularyModel
{
    private readonly int _unkId;
    private readonly int _maxPlainLength;
    private readonly int _maxContinuingLength;

    public WordPieceModel(Vocabulary vocab, string unkToken, string continuingSubwordPrefix, int maxInputCharsPerWord)
        : base(vocab)
    {
        UnkToken = unkToken;
        Prefix = continuingSubwordPrefix;
        MaxInputCharsPerWord = maxInputCharsPerWord;
        _unkId = vocab.IdOrMinusOne(unkToken);

        // No token is longer than the longest vocabulary entry (its UTF-8 length bounds its UTF-16 length), so
        // longer candidates need no lookup.
        _maxPlainLength = vocab.MaxTokenBytes;
        _maxContinuingLength = Math.Max(0, vocab.MaxTokenBytes - Prefix.Length);
    }

    public string UnkToken { get; }

    public string Prefix { get; }

    public int MaxInputCharsPerWord { get; }

    public override void Tokenize(Workspace ws, in Piece piece)
    {
        ReadOnlySpan<char> word = ws.Span(piece);
        TokenSink sink = ws.Tokens;
        if (UnicodeChars.CountCodePoints(word) > MaxInputCharsPerWord)
        {
            sink.AddRelative(ws, piece, UnkId(), 0, word.Length);
            return;
        }

        int mark = sink.Count;
        char[] buffer = ws.RentChars(Prefix.Length + word.Length);
        Prefix.AsSpan().CopyTo(buffer);
        int start = 0;
        while (start < word.Length)
        {
            int limit = start == 0 ? _maxPlainLength : _maxContinuingLength;
            int end = word.Length - start > limit ? start + limit : word.Length;
            if (end < word.Length && end > start && char.IsLowSurrogate(word[end]) && char.IsHighSurrogate(word[end - 1]))
            {
                end--;
            }

            int found = -1;
            while (start < end)
            {
                int id;
                if (start == 0)
                {
                    id = Vocab.IdOrMinusOne(word[start..end]);
                }
                else
                {
                    word[start..end].CopyTo(buffer.AsSpan(Prefix.Length));
                    id = Vocab.IdOrMinusOne(buffer.AsSpan(0, Prefix.Length + end - start));
                }

                if (id >= 0)
                {
                    found = id;
                    break;
                }

                UnicodeChars.CodePointBefore(word, end, out int n);
                end -= n;
            }

            if (found < 0)
            {
                sink.Count = mark;
                sink.AddRelative(ws, piece, UnkId(), 0, word.Length);
                return;
            }

            sink.AddRelative(ws, piece, found, start, end);
            start = end;
        }
    }

    private int UnkId() => _unkId >= 0 ? _unkId : throw new InvalidOperationException($"The unknown token '{UnkToken}' is not in the WordPiece vocabulary.");
}
