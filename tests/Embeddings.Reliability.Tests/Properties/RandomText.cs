using System.Text;

namespace Embeddings.Reliability.Properties;

/// <summary>Random Unicode text: words from many scripts, whitespace runs, controls, combining marks, emoji,
/// astral characters, optionally lone surrogates and literals picked from a list (a tokenizer's added tokens).</summary>
internal static class RandomText
{
    private static readonly (int From, int To)[] s_ranges =
    [
        (0x20, 0x7E),       // ASCII
        (0x20, 0x7E),
        (0x20, 0x7E),
        (0xA0, 0x24F),      // Latin-1, Latin Extended
        (0x300, 0x36F),     // combining diacritics
        (0x370, 0x3FF),     // Greek
        (0x400, 0x4FF),     // Cyrillic
        (0x590, 0x6FF),     // Hebrew, Arabic
        (0x900, 0x97F),     // Devanagari
        (0xE00, 0xE7F),     // Thai
        (0x1100, 0x11FF),   // Hangul jamo
        (0x2000, 0x206F),   // general punctuation, zero-width and direction marks
        (0x3000, 0x30FF),   // CJK punctuation, kana
        (0x4E00, 0x9FFF),   // CJK ideographs
        (0xAC00, 0xD7A3),   // Hangul syllables
        (0xE000, 0xF8FF),   // private use
        (0xFB00, 0xFFFF),   // presentation forms, fullwidth, specials, noncharacters U+FFFE and U+FFFF
        (0x1F300, 0x1FAFF), // emoji
        (0x10000, 0x10FFFF), // any astral
        (0x0, 0x1F),        // C0 controls
        (0x7F, 0x9F),       // DEL, C1 controls
    ];

    private static readonly string[] s_whitespace = [" ", "  ", "\t", "\n", "\r\n", "\u00A0", "\u3000", "\u2028", "\u200B"];

    /// <summary>Makes a text of up to <paramref name="maxLength"/> UTF-16 units.</summary>
    /// <param name="random">The generator.</param>
    /// <param name="maxLength">The upper bound on the length.</param>
    /// <param name="loneSurrogates">Whether lone surrogates may appear.</param>
    /// <param name="literals">Strings to splice in now and then (for example added tokens), or none.</param>
    public static string Next(Random random, int maxLength, bool loneSurrogates, IReadOnlyList<string>? literals = null)
    {
        int target = random.Next(0, maxLength + 1);
        var builder = new StringBuilder(target + 16);
        while (builder.Length < target)
        {
            int pick = random.Next(100);
            if (pick < 12)
            {
                builder.Append(s_whitespace[random.Next(s_whitespace.Length)]);
            }
            else if (pick < 16 && literals is { Count: > 0 })
            {
                builder.Append(literals[random.Next(literals.Count)]);
            }
            else if (pick < 18 && loneSurrogates)
            {
                builder.Append((char)random.Next(0xD800, 0xE000));
            }
            else
            {
                (int from, int to) = s_ranges[random.Next(s_ranges.Length)];
                int length = random.Next(1, 8);
                for (int i = 0; i < length; i++)
                {
                    int cp = random.Next(from, to + 1);
                    if (cp is >= 0xD800 and <= 0xDFFF)
                    {
                        continue;
                    }

                    builder.Append(char.ConvertFromUtf32(cp));
                }
            }
        }

        return builder.ToString();
    }

    /// <summary>The text with every character outside printable ASCII as a \uXXXX escape, for failure messages.</summary>
    public static string Escape(string text, int max = 400)
    {
        var builder = new StringBuilder();
        foreach (char c in text.Length > max ? text[..max] : text)
        {
            builder.Append(c is >= ' ' and <= '~' and not '\\' ? c.ToString() : $"\\u{(int)c:X4}");
        }

        return builder.ToString();
    }

    /// <summary>The text with every lone surrogate replaced by U+FFFD, as a UTF-8 round trip leaves it.</summary>
    public static string Scrubbed(string text) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text));
}
