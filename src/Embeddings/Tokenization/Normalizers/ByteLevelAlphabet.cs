namespace Embeddings.Tokenization;

/// <summary>GPT-2's reversible mapping of the 256 byte values to printable characters.</summary>
internal static class ByteLevelAlphabet
{
    /// <summary>The character for each byte.</summary>
    public static readonly char[] ByteToChar = Build();

    /// <summary>The byte for each character of the alphabet (-1 elsewhere), indexed by char.</summary>
    public static readonly short[] CharToByte = BuildReverse();

    /// <summary>Rewrites each character of a piece as the characters of its UTF-8 bytes; all of them keep the
    /// source character's alignment.</summary>
    public static Piece Map(Workspace ws, Piece piece)
    {
        TransformWriter w = ws.BeginTransform(piece);
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = 0; i < piece.Length;)
        {
            int cp = UnicodeChars.CodePointAt(ws.Span(piece), i, out int n);
            if (cp < 0x80)
            {
                w.Emit(ByteToChar[cp], 0);
            }
            else
            {
                int count = new System.Text.Rune(cp).EncodeToUtf8(utf8);
                for (int k = 0; k < count; k++)
                {
                    w.Emit(ByteToChar[utf8[k]], k == 0 ? 0 : 1);
                }
            }

            i += n;
        }

        return w.Finish();
    }

    private static char[] Build()
    {
        var map = new char[256];
        var direct = new bool[256];
        for (int b = '!'; b <= '~'; b++)
        {
            direct[b] = true;
        }

        for (int b = 0xA1; b <= 0xAC; b++)
        {
            direct[b] = true;
        }

        for (int b = 0xAE; b <= 0xFF; b++)
        {
            direct[b] = true;
        }

        int n = 0;
        for (int b = 0; b < 256; b++)
        {
            map[b] = direct[b] ? (char)b : (char)(256 + n++);
        }

        return map;
    }

    private static short[] BuildReverse()
    {
        var reverse = new short[0x200];
        Array.Fill(reverse, (short)-1);
        for (int b = 0; b < 256; b++)
        {
            reverse[ByteToChar[b]] = (short)b;
        }

        return reverse;
    }
}
