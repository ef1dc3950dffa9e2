using System.Text;

namespace Embeddings.Tokenization;

/// <summary>
/// Unigram (SentencePiece): the segmentation with the highest total score, found by Viterbi over every vocabulary
/// piece matching at each position; characters no piece covers score as the unknown token (min score - 10) and
/// consecutive unknowns fuse, then fall back to <c>&lt;0xNN&gt;</c> byte pieces when byte fallback is on.
/// </summary>
internal sealed class UnigramModel : TokenizerModel
{
    private const double UnkPenalty = 10.0;

    [ThreadStatic]
    private static Node[]? t_nodes;

    private readonly string[] _pieces;
    private readonly double[] _scores;
    private readonly Vocabulary _vocab;
    private readonly CharTrie _trie = new();
    private readonly double _unkScore;
    private readonly int[] _byteIds = new int[256];

    public UnigramModel(IReadOnlyList<(string Piece, double Score)> vocab, int? unkId, bool byteFallback)
    {
        if (unkId is { } u && (u < 0 || u >= vocab.Count))
        {
            throw new FormatException("the Unigram unk_id is not in the vocabulary");
        }

        _pieces = new string[vocab.Count];
        _scores = new double[vocab.Count];
        var ids = new Dictionary<string, int>(vocab.Count, StringComparer.Ordinal);
        double minScore = double.PositiveInfinity;
        for (int i = 0; i < vocab.Count; i++)
        {
            (string piece, double score) = vocab[i];
            _pieces[i] = piece;
            _scores[i] = score;
            ids[piece] = i;
            minScore = Math.Min(minScore, score);
        }

        // A duplicated piece maps to its last id, as Hugging Face's token map does.
        foreach (KeyValuePair<string, int> entry in ids)
        {
            _trie.Add(entry.Key, entry.Value);
        }

        _vocab = Vocabulary.From(ids);
        _unkScore = minScore - UnkPenalty;
        UnkId = unkId;
        ByteFallback = byteFallback;
        for (int b = 0; b < 256; b++)
        {
            _byteIds[b] = _vocab.IdOrMinusOne($"<0x{b:X2}>");
        }
    }

    public int? UnkId { get; }

    public bool ByteFallback { get; }

    public override int VocabularySize => _pieces.Length;

    public override int TokenToId(ReadOnlySpan<char> token) => _vocab.IdOrMinusOne(token);

    public override string? IdToToken(int id) => (uint)id < (uint)_pieces.Length ? _pieces[id] : null;

    public override void Tokenize(Workspace ws, in Piece piece)
    {
        ReadOnlySpan<char> text = ws.Span(piece);
        int size = text.Length;
        if (size == 0)
        {
            return;
        }

        Node[] best = t_nodes is { } cached && cached.Length > size ? cached : (t_nodes = new Node[Math.Max(size + 1, 64)]);
        for (int i = 0; i <= size; i++)
        {
            best[i] = new Node { Id = 0, Score = 0, StartsAt = -1 };
        }

        for (int start = 0; start < size;)
        {
            double scoreHere = best[start].Score;
            UnicodeChars.CodePointAt(text, start, out int charLength);
            bool hasSingle = false;
            int node = CharTrie.Root;
            for (int i = start; i < size; i++)
            {
                node = _trie.Next(node, text[i]);
                if (node < 0)
                {
                    break;
                }

                int id = _trie.ValueAt(node);
                if (id < 0)
                {
                    continue;
                }

                int end = i + 1;
                double candidate = _scores[id] + scoreHere;
                if (best[end].StartsAt < 0 || candidate > best[end].Score)
                {
                    best[end] = new Node { Id = id, Score = candidate, StartsAt = start };
                }

                if (end - start == charLength)
                {
                    hasSingle = true;
                }
            }

            if (!hasSingle)
            {
                int end = start + charLength;
                double candidate = _unkScore + scoreHere;
                if (best[end].StartsAt < 0 || candidate > best[end].Score)
                {
                    best[end] = new Node { Id = UnkId ?? throw new InvalidOperationException("The Unigram model has no unk_id for an unknown character."), Score = candidate, StartsAt = start };
                }
            }

            start += charLength;
        }

        // Backtrack, fusing runs of unknown pieces.
        int[] path = ws.RentInts(2 * (size + 1));
        int count = 0;
        int fusedEnd = -1;
        for (int end = size; end > 0;)
        {
            Node n = best[end];
            int start = n.StartsAt;
            if (UnkId is { } unk && n.Id == unk)
            {
                if (fusedEnd < 0)
                {
                    fusedEnd = end;
                }
            }
            else
            {
                if (fusedEnd >= 0)
                {
                    path[count++] = end;
                    path[count++] = fusedEnd;
                    fusedEnd = -1;
                }

                path[count++] = start;
                path[count++] = end;
            }

            end = start;
        }

        if (fusedEnd >= 0)
        {
            path[count++] = 0;
            path[count++] = fusedEnd;
        }

        if (best.Length > 1 << 18)
        {
            t_nodes = null;
        }

        TokenSink sink = ws.Tokens;
        Span<byte> bytes = stackalloc byte[64];
        for (int k = count - 2; k >= 0; k -= 2)
        {
            int start = path[k], end = path[k + 1];
            ReadOnlySpan<char> token = text[start..end];
            int id = _vocab.IdOrMinusOne(token);
            if (id >= 0)
            {
                sink.AddRelative(ws, piece, id, start, end);
                continue;
            }

            if (ByteFallback && TryAddBytes(ws, piece, token, start, end, bytes))
            {
                continue;
            }

            sink.AddRelative(ws, piece, UnkId ?? throw new InvalidOperationException("The Unigram model has no unk_id for an unknown piece."), start, end);
        }
    }

    private bool TryAddBytes(Workspace ws, in Piece piece, ReadOnlySpan<char> token, int start, int end, Span<byte> bytes)
    {
        int length = Encoding.UTF8.GetByteCount(token);
        Span<byte> utf8 = length <= bytes.Length ? bytes[..length] : new byte[length];
        Encoding.UTF8.GetBytes(token, utf8);
        foreach (byte b in utf8)
        {
            if (_byteIds[b] < 0)
            {
                return false;
            }
        }

        foreach (byte b in utf8)
        {
            ws.Tokens.AddRelative(ws, piece, _byteIds[b], start, end);
        }

        return true;
    }

    private struct Node
    {
        public int Id;
        public double Score;
        public int StartsAt;
    }
}
