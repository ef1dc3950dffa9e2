using System.Collections.Concurrent;
using System.Text;

namespace Embeddings.Tokenization;

/// <summary>
/// Byte-pair encoding (Hugging Face's <c>BPE</c> model): each character becomes a symbol (with the continuing-subword
/// prefix and end-of-word suffix where configured, byte fallback or the unknown token where not in the vocabulary),
/// then the lowest-ranked adjacent pair is merged, leftmost first, until no merge applies. Byte-level BPE (GPT-2,
/// CLIP) is this model behind the ByteLevel pre-tokenizer.
/// </summary>
internal sealed class BpeModel : VocabularyModel
{
    private const int CacheCapacity = 10_000;
    private const int MaxCachedLength = 256;

    [ThreadStatic]
    private static Symbol[]? t_symbols;

    [ThreadStatic]
    private static MergeHeap? t_heap;

    private readonly PairMap _merges;
    private readonly int _unkId;
    private readonly string? _prefix;
    private readonly string? _suffix;
    private readonly int[] _plain = NewTable();
    private readonly int[]? _last;
    private readonly int[]? _continuing;
    private readonly int[] _byteIds = new int[256];
    private readonly ConcurrentDictionary<string, int[]> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> _cacheLookup;
    private int _cacheCount;

    public BpeModel(Vocabulary vocab, PairMap merges, string? unkToken, string? continuingSubwordPrefix, string? endOfWordSuffix,
        bool fuseUnk, bool byteFallback, bool ignoreMerges)
        : base(vocab)
    {
        _merges = merges;
        UnkToken = unkToken;
        _unkId = unkToken is null ? -1 : vocab.IdOrMinusOne(unkToken);
        _prefix = string.IsNullOrEmpty(continuingSubwordPrefix) ? null : continuingSubwordPrefix;
        _suffix = string.IsNullOrEmpty(endOfWordSuffix) ? null : endOfWordSuffix;
        FuseUnk = fuseUnk;
        ByteFallback = byteFallback;
        IgnoreMerges = ignoreMerges;
        _cacheLookup = _cache.GetAlternateLookup<ReadOnlySpan<char>>();
        _last = _suffix is null ? null : NewTable();
        _continuing = _prefix is null ? null : NewTable();

        // Single-character symbols are looked up in flat tables instead of hashing a one-character span. Only
        // short entries can be one character plus an affix, so only those are decoded.
        int affixBytes = Math.Max(_prefix is null ? 0 : Encoding.UTF8.GetByteCount(_prefix), _suffix is null ? 0 : Encoding.UTF8.GetByteCount(_suffix));
        Utf8TokenTable table = vocab.Table;
        for (int e = 0; e < table.Count; e++)
        {
            ReadOnlySpan<byte> bytes = table.TokenAt(e);
            if (bytes.Length > 3 + affixBytes)
            {
                continue;
            }

            string key = Encoding.UTF8.GetString(bytes);
            int id = table.IdAt(e);
            if (key.Length == 1)
            {
                _plain[key[0]] = id;
            }

            if (_suffix is not null && key.Length == 1 + _suffix.Length && key.EndsWith(_suffix, StringComparison.Ordinal))
            {
                _last![key[0]] = id;
            }

            if (_prefix is not null && key.Length == 1 + _prefix.Length && key.StartsWith(_prefix, StringComparison.Ordinal))
            {
                _continuing![key[^1]] = id;
            }
        }

        for (int b = 0; b < 256; b++)
        {
            _byteIds[b] = vocab.IdOrMinusOne($"<0x{b:X2}>");
        }
    }

    public string? UnkToken { get; }

    public bool FuseUnk { get; }

    public bool ByteFallback { get; }

    public bool IgnoreMerges { get; }

    /// <summary>Gets or sets whether tokenized words are cached (benchmarks turn it off to time the algorithm).</summary>
    internal bool CacheEnabled { get; set; } = true;

    public override void Tokenize(Workspace ws, in Piece piece)
    {
        ReadOnlySpan<char> word = ws.Span(piece);
        TokenSink sink = ws.Tokens;
        if (IgnoreMerges && Vocab.TryGetId(word, out int whole))
        {
            sink.AddRelative(ws, piece, whole, 0, word.Length);
            return;
        }

        bool cacheable = CacheEnabled && word.Length < MaxCachedLength;
        if (cacheable && _cacheLookup.TryGetValue(word, out int[]? cached))
        {
            for (int i = 0; i < cached.Length; i += 3)
            {
                sink.AddRelative(ws, piece, cached[i], cached[i + 1], cached[i + 2]);
            }

            return;
        }

        Symbol[] symbols = MergeWord(word, out int count);
        int kept = 0;
        for (int i = 0; i < count; i++)
        {
            if (!symbols[i].Removed)
            {
                sink.AddRelative(ws, piece, symbols[i].Id, symbols[i].Start, symbols[i].End);
                kept++;
            }
        }

        if (cacheable && Volatile.Read(ref _cacheCount) < CacheCapacity)
        {
            int[] entry = new int[kept * 3];
            int k = 0;
            for (int i = 0; i < count; i++)
            {
                if (!symbols[i].Removed)
                {
                    entry[k++] = symbols[i].Id;
                    entry[k++] = symbols[i].Start;
                    entry[k++] = symbols[i].End;
                }
            }

            if (_cache.TryAdd(new string(word), entry))
            {
                Interlocked.Increment(ref _cacheCount);
            }
        }
    }

    private Symbol[] MergeWord(ReadOnlySpan<char> word, out int count)
    {
        Symbol[] symbols = t_symbols ??= new Symbol[64];
        // A symbol per UTF-8 byte at most, plus the bytes of a prefix and a suffix.
        int needed = (word.Length * 3) + 64 + (_prefix?.Length ?? 0) * 4 + (_suffix?.Length ?? 0) * 4;
        if (symbols.Length < needed)
        {
            symbols = t_symbols = new Symbol[Math.Max(needed, symbols.Length * 2)];
        }

        count = 0;
        bool pendingUnk = false;
        int unkStart = 0, unkEnd = 0, unkBytes = 0;

        // Hugging Face derives offsets from the running sum of symbol byte lengths; when characters are dropped or
        // reordered that sum drifts from the real positions, and its offsets drift with it.
        bool irregular = false;
        for (int i = 0; i < word.Length;)
        {
            int cp = UnicodeChars.CodePointAt(word, i, out int n);
            int bytes = UnicodeChars.Utf8Length(cp);
            bool first = i == 0;
            bool last = i + n == word.Length;
            int id = LookupSymbol(word.Slice(i, n), first, last);
            if (id >= 0)
            {
                if (pendingUnk)
                {
                    Add(symbols, ref count, _unkId, unkStart, unkEnd, unkBytes);
                    pendingUnk = false;
                }

                Add(symbols, ref count, id, i, i + n, bytes);
            }
            else if (ByteFallback && TryAddBytes(symbols, ref count, word.Slice(i, n), first, last, i))
            {
                // A pending unknown is not flushed first: it lands after these bytes. Prefix and suffix bytes count
                // as text too.
                irregular |= pendingUnk || (!first && _prefix is not null) || (last && _suffix is not null);
            }
            else if (UnkToken is null)
            {
                irregular = true;
            }
            else
            {
                if (_unkId < 0)
                {
                    throw new InvalidOperationException($"The unknown token '{UnkToken}' is not in the BPE vocabulary.");
                }

                if (pendingUnk && FuseUnk)
                {
                    unkEnd = i + n;
                    unkBytes += bytes;
                }
                else
                {
                    if (pendingUnk)
                    {
                        Add(symbols, ref count, _unkId, unkStart, unkEnd, unkBytes);
                    }

                    pendingUnk = true;
                    unkStart = i;
                    unkEnd = i + n;
                    unkBytes = bytes;
                }
            }

            i += n;
        }

        if (pendingUnk)
        {
            Add(symbols, ref count, _unkId, unkStart, unkEnd, unkBytes);
        }

        MergeAll(symbols, count);
        if (irregular)
        {
            RemapOffsets(word, symbols, count);
        }

        // Do not keep the scratch of a huge word for the life of the thread.
        if (symbols.Length > 1 << 18)
        {
            t_symbols = null;
            t_heap = null;
        }

        return symbols;
    }

    private int LookupSymbol(ReadOnlySpan<char> c, bool first, bool last)
    {
        bool withPrefix = !first && _prefix is not null;
        bool withSuffix = last && _suffix is not null;
        if (c.Length == 1)
        {
            if (!withPrefix && !withSuffix)
            {
                return _plain[c[0]];
            }

            if (withSuffix && !withPrefix)
            {
                return _last![c[0]];
            }

            if (withPrefix && !withSuffix)
            {
                return _continuing![c[0]];
            }
        }

        if (!withPrefix && !withSuffix)
        {
            return Vocab.IdOrMinusOne(c);
        }

        Span<char> buffer = stackalloc char[64];
        ReadOnlySpan<char> key = Compose(c, withPrefix, withSuffix, buffer);
        return Vocab.IdOrMinusOne(key);
    }

    private ReadOnlySpan<char> Compose(ReadOnlySpan<char> c, bool withPrefix, bool withSuffix, Span<char> buffer)
    {
        int length = c.Length + (withPrefix ? _prefix!.Length : 0) + (withSuffix ? _suffix!.Length : 0);
        if (length > buffer.Length)
        {
            buffer = new char[length];
        }

        int at = 0;
        if (withPrefix)
        {
            _prefix.AsSpan().CopyTo(buffer);
            at = _prefix!.Length;
        }

        c.CopyTo(buffer[at..]);
        at += c.Length;
        if (withSuffix)
        {
            _suffix.AsSpan().CopyTo(buffer[at..]);
            at += _suffix!.Length;
        }

        return buffer[..at];
    }

    // Byte fallback covers the symbol's text including any prefix or suffix; all bytes must be in the vocabulary.
    private bool TryAddBytes(Symbol[] symbols, ref int count, ReadOnlySpan<char> c, bool first, bool last, int start)
    {
        Span<char> buffer = stackalloc char[64];
        ReadOnlySpan<char> text = Compose(c, !first && _prefix is not null, last && _suffix is not null, buffer);
        Span<byte> bytes = stackalloc byte[256];
        if (!Encoding.UTF8.TryGetBytes(text, bytes, out int length))
        {
            return false;
        }

        for (int i = 0; i < length; i++)
        {
            if (_byteIds[bytes[i]] < 0)
            {
                return false;
            }
        }

        if (symbols.Length < count + length)
        {
            return false;
        }

        for (int i = 0; i < length; i++)
        {
            Add(symbols, ref count, _byteIds[bytes[i]], start, start + c.Length, 1);
        }

        return true;
    }

    private static void Add(Symbol[] symbols, ref int count, int id, int start, int end, int byteLength)
    {
        if (count > 0)
        {
            symbols[count - 1].Next = count;
        }

        symbols[count] = new Symbol { Id = id, Prev = count - 1, Next = -1, Start = start, End = end, ByteLength = byteLength };
        count++;
    }

    // Offsets as Hugging Face computes them: cumulative UTF-8 lengths of the kept symbols, mapped back to the
    // characters of the word that hold those bytes.
    private static void RemapOffsets(ReadOnlySpan<char> word, Symbol[] symbols, int count)
    {
        int bytePosition = 0;
        for (int i = 0; i < count; i++)
        {
            if (symbols[i].Removed)
            {
                continue;
            }

            int byteStart = bytePosition;
            bytePosition += symbols[i].ByteLength;
            symbols[i].Start = CharAtByte(word, byteStart, out _);
            CharAtByte(word, bytePosition - 1, out int end);
            symbols[i].End = end;
        }
    }

    private static int CharAtByte(ReadOnlySpan<char> word, int byteOffset, out int charEnd)
    {
        int bytes = 0;
        for (int i = 0; i < word.Length;)
        {
            int cp = UnicodeChars.CodePointAt(word, i, out int n);
            bytes += UnicodeChars.Utf8Length(cp);
            if (byteOffset < bytes)
            {
                charEnd = i + n;
                return i;
            }

            i += n;
        }

        charEnd = word.Length;
        return word.Length;
    }

    private void MergeAll(Symbol[] symbols, int count)
    {
        MergeHeap heap = t_heap ??= new MergeHeap();
        heap.Clear();
        PairMap merges = _merges;
        for (int i = 0; i + 1 < count; i++)
        {
            if (merges.TryGet(symbols[i].Id, symbols[i + 1].Id, out int rank, out int merged))
            {
                heap.Push(rank, i, merged);
            }
        }

        while (heap.TryPop(out int topRank, out int pos, out int newId))
        {
            _ = topRank;
            ref Symbol current = ref symbols[pos];
            if (current.Removed || current.Next == -1)
            {
                continue;
            }

            int nextPos = current.Next;
            Symbol right = symbols[nextPos];

            // Skip entries made stale by an earlier merge.
            if (!merges.TryGet(current.Id, right.Id, out _, out int expected) || expected != newId)
            {
                continue;
            }

            current.Id = newId;
            current.End = right.End;
            current.ByteLength += right.ByteLength;
            current.Next = right.Next;
            symbols[nextPos].Removed = true;
            if (right.Next >= 0)
            {
                symbols[right.Next].Prev = pos;
            }

            if (current.Prev >= 0 && merges.TryGet(symbols[current.Prev].Id, current.Id, out int rank, out int merged))
            {
                heap.Push(rank, current.Prev, merged);
            }

            if (current.Next >= 0 && merges.TryGet(current.Id, symbols[current.Next].Id, out rank, out merged))
            {
                heap.Push(rank, pos, merged);
            }
        }
    }

    private static int[] NewTable()
    {
        var table = new int[0x10000];
        Array.Fill(table, -1);
        return table;
    }

    private struct Symbol
    {
        public int Id;
        public int Prev;
        public int Next;
        public int Start;
        public int End;
        public int ByteLength;
        public bool Removed;
    }
}
