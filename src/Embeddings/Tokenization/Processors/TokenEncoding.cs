namespace Embeddings.Tokenization;

/// <summary>The tokens of one sequence or of a processed pair (Hugging Face's <c>Encoding</c>), as parallel arrays.</summary>
internal sealed class TokenEncoding
{
    public TokenEncoding(int length)
    {
        Ids = new int[length];
        TypeIds = new int[length];
        Starts = new int[length];
        Ends = new int[length];
        SpecialMask = new int[length];
        AttentionMask = new int[length];
    }

    public int[] Ids { get; private set; }

    public int[] TypeIds { get; private set; }

    public int[] Starts { get; private set; }

    public int[] Ends { get; private set; }

    public int[] SpecialMask { get; private set; }

    public int[] AttentionMask { get; private set; }

    public int Length => Ids.Length;

    /// <summary>Gets the text this sequence was encoded from (null for special tokens and merged pairs).</summary>
    public string? Text { get; set; }

    /// <summary>Gets, by token index, the matched text of added tokens whose match is not exactly their content.</summary>
    public Dictionary<int, string>? Values { get; set; }

    /// <summary>Builds the encoding of a sequence from the workspace's tokens.</summary>
    public static TokenEncoding FromTokens(TokenSink tokens, int typeId, string text)
    {
        int n = tokens.Count;
        var e = new TokenEncoding(n) { Text = text, Values = tokens.Values is { Count: > 0 } v ? new Dictionary<int, string>(v) : null };
        Array.Copy(tokens.Ids, e.Ids, n);
        Array.Copy(tokens.Starts, e.Starts, n);
        Array.Copy(tokens.Ends, e.Ends, n);
        if (typeId != 0)
        {
            Array.Fill(e.TypeIds, typeId);
        }

        Array.Fill(e.AttentionMask, 1);
        return e;
    }

    /// <summary>Builds the encoding of special tokens added by a post-processor (offsets (0, 0), special).</summary>
    public static TokenEncoding Special(IReadOnlyList<int> ids, int typeId)
    {
        var e = new TokenEncoding(ids.Count);
        for (int i = 0; i < ids.Count; i++)
        {
            e.Ids[i] = ids[i];
            e.TypeIds[i] = typeId;
            e.SpecialMask[i] = 1;
            e.AttentionMask[i] = 1;
        }

        return e;
    }

    public void SetTypeIds(int typeId) => Array.Fill(TypeIds, typeId);

    /// <summary>Sets the type ids and marks every token as attended (for encodings filled in place).</summary>
    public void InitSequence(int typeId)
    {
        Array.Fill(TypeIds, typeId);
        Array.Fill(AttentionMask, 1);
    }

    public TokenEncoding Clone()
    {
        var e = new TokenEncoding(Length) { Text = Text, Values = Values };
        Ids.CopyTo(e.Ids, 0);
        TypeIds.CopyTo(e.TypeIds, 0);
        Starts.CopyTo(e.Starts, 0);
        Ends.CopyTo(e.Ends, 0);
        SpecialMask.CopyTo(e.SpecialMask, 0);
        AttentionMask.CopyTo(e.AttentionMask, 0);
        return e;
    }

    /// <summary>Concatenates encodings.</summary>
    public static TokenEncoding Merge(IReadOnlyList<TokenEncoding> parts)
    {
        if (parts.Count == 1)
        {
            return parts[0];
        }

        int total = 0;
        foreach (TokenEncoding p in parts)
        {
            total += p.Length;
        }

        var e = new TokenEncoding(total);
        int at = 0;
        foreach (TokenEncoding p in parts)
        {
            p.Ids.CopyTo(e.Ids, at);
            p.TypeIds.CopyTo(e.TypeIds, at);
            p.Starts.CopyTo(e.Starts, at);
            p.Ends.CopyTo(e.Ends, at);
            p.SpecialMask.CopyTo(e.SpecialMask, at);
            p.AttentionMask.CopyTo(e.AttentionMask, at);
            at += p.Length;
        }

        return e;
    }

    /// <summary>Keeps <paramref name="maxLength"/> tokens from the start (right truncation) or the end (left).</summary>
    public void Truncate(int maxLength, TruncationSide side)
    {
        if (maxLength >= Length)
        {
            return;
        }

        int from = side == TruncationSide.Right ? 0 : Length - maxLength;
        if (Values is not null)
        {
            Values = Values.Where(p => p.Key >= from && p.Key < from + maxLength).ToDictionary(p => p.Key - from, p => p.Value);
        }

        Ids = Ids.AsSpan(from, maxLength).ToArray();
        TypeIds = TypeIds.AsSpan(from, maxLength).ToArray();
        Starts = Starts.AsSpan(from, maxLength).ToArray();
        Ends = Ends.AsSpan(from, maxLength).ToArray();
        SpecialMask = SpecialMask.AsSpan(from, maxLength).ToArray();
        AttentionMask = AttentionMask.AsSpan(from, maxLength).ToArray();
    }

    /// <summary>Pads to <paramref name="targetLength"/> with the pad token (attention 0, special 1, offsets (0, 0)).</summary>
    public void Pad(int targetLength, int padId, int padTypeId, PaddingSide side)
    {
        if (Length >= targetLength)
        {
            return;
        }

        int pad = targetLength - Length;
        int offset = side == PaddingSide.Left ? pad : 0;
        int padAt = side == PaddingSide.Left ? 0 : Length;
        Ids = Grow(Ids, targetLength, offset, padAt, pad, padId);
        TypeIds = Grow(TypeIds, targetLength, offset, padAt, pad, padTypeId);
        Starts = Grow(Starts, targetLength, offset, padAt, pad, 0);
        Ends = Grow(Ends, targetLength, offset, padAt, pad, 0);
        SpecialMask = Grow(SpecialMask, targetLength, offset, padAt, pad, 1);
        AttentionMask = Grow(AttentionMask, targetLength, offset, padAt, pad, 0);
    }

    private static T[] Grow<T>(T[] source, int length, int offset, int padAt, int pad, T value)
    {
        var result = new T[length];
        source.CopyTo(result, offset);
        result.AsSpan(padAt, pad).Fill(value);
        return result;
    }
}
