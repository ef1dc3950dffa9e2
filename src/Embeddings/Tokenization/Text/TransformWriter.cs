using System.Text;

namespace Embeddings.Tokenization;

/// <summary>
/// Rewrites a piece into a new range of the workspace arena, one scalar value at a time, tracking alignments the way
/// Hugging Face's <c>NormalizedString::transform_range</c> does: <c>change</c> 0 replaces the next source character
/// (and takes its alignment), a negative change also removes that many following characters, a positive change
/// inserts a character aligned like the source character before it.
/// </summary>
internal ref struct TransformWriter
{
    private readonly Workspace _ws;
    private readonly int _sourceStart;
    private readonly int _sourceEnd;
    private readonly int _originalStart;
    private readonly int _originalEnd;
    private readonly int _dest;
    private int _offset;

    public TransformWriter(Workspace ws, in Piece source)
    {
        _ws = ws;
        _sourceStart = source.Start;
        _sourceEnd = source.End;
        _originalStart = source.OriginalStart;
        _originalEnd = source.OriginalEnd;
        _offset = source.Start;
        _dest = ws.Used;
    }

    /// <summary>Writes one scalar value with the given change.</summary>
    public void Emit(int cp, int change)
    {
        int alignStart, alignEnd;
        int idx = _offset;
        Workspace ws = _ws;
        if (change > 0)
        {
            if (idx <= _sourceStart)
            {
                alignStart = alignEnd = _originalStart;
            }
            else
            {
                alignStart = ws.AlignStart[Math.Min(idx, _sourceEnd) - 1];
                alignEnd = ws.AlignEnd[Math.Min(idx, _sourceEnd) - 1];
            }
        }
        else if (idx < _sourceEnd)
        {
            alignStart = ws.AlignStart[idx];
            alignEnd = ws.AlignEnd[idx];
            Consume();
            for (int i = change; i < 0; i++)
            {
                Consume();
            }
        }
        else
        {
            // Hugging Face would index past its alignments here; keep the last one instead of failing.
            alignStart = _sourceEnd > _sourceStart ? ws.AlignStart[_sourceEnd - 1] : _originalStart;
            alignEnd = _sourceEnd > _sourceStart ? ws.AlignEnd[_sourceEnd - 1] : _originalEnd;
        }

        Write(cp, alignStart, alignEnd);
    }

    /// <summary>Removes the next <paramref name="count"/> source characters without output.</summary>
    public void Skip(int count)
    {
        for (int i = 0; i < count; i++)
        {
            Consume();
        }
    }

    /// <summary>Copies the remaining source characters unchanged.</summary>
    public void CopyRest()
    {
        int n = _sourceEnd - _offset;
        if (n <= 0)
        {
            return;
        }

        Workspace ws = _ws;
        ws.EnsureCapacity(ws.Used + n);
        Array.Copy(ws.Text, _offset, ws.Text, ws.Used, n);
        Array.Copy(ws.AlignStart, _offset, ws.AlignStart, ws.Used, n);
        Array.Copy(ws.AlignEnd, _offset, ws.AlignEnd, ws.Used, n);
        ws.Used += n;
        _offset = _sourceEnd;
    }

    /// <summary>Ends the rewrite and returns the new piece (same original range, new characters).</summary>
    public readonly Piece Finish() => new()
    {
        Start = _dest,
        Length = _ws.Used - _dest,
        OriginalStart = _originalStart,
        OriginalEnd = _originalEnd,
        TokenId = -1,
    };

    private void Consume()
    {
        if (_offset < _sourceEnd)
        {
            Workspace ws = _ws;
            _offset += char.IsHighSurrogate(ws.Text[_offset]) && _offset + 1 < _sourceEnd && char.IsLowSurrogate(ws.Text[_offset + 1]) ? 2 : 1;
        }
    }

    private void Write(int cp, int alignStart, int alignEnd)
    {
        Workspace ws = _ws;
        ws.EnsureCapacity(ws.Used + 2);
        if (cp < 0x10000)
        {
            ws.Text[ws.Used] = (char)cp;
            ws.AlignStart[ws.Used] = alignStart;
            ws.AlignEnd[ws.Used] = alignEnd;
            ws.Used++;
        }
        else
        {
            var rune = new Rune(cp);
            rune.EncodeToUtf16(ws.Text.AsSpan(ws.Used, 2));
            ws.AlignStart[ws.Used] = alignStart;
            ws.AlignEnd[ws.Used] = alignEnd;
            ws.AlignStart[ws.Used + 1] = alignStart;
            ws.AlignEnd[ws.Used + 1] = alignEnd;
            ws.Used += 2;
        }
    }
}
