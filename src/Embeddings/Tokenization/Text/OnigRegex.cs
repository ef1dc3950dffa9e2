using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Embeddings.Tokenization;

/// <summary>
/// A regular expression written for Oniguruma (the engine Hugging Face tokenizers uses for <c>Split</c> and
/// <c>Replace</c> patterns), translated to .NET's engine and run on Unicode scalar values.
/// </summary>
/// <remarks>
/// <para>Oniguruma matches code points; .NET matches UTF-16 code units, so a letter outside the BMP would not be
/// <c>\p{L}</c> to .NET. When the text has surrogate pairs, each pair is matched as one stand-in BMP character of the
/// same general category and the match positions are mapped back.</para>
/// <para>Constructs with no faithful translation (scripts such as <c>\p{Han}</c>, possessive quantifiers, class
/// intersections, POSIX brackets, supplementary-plane literals) are refused with <see cref="NotSupportedException"/>
/// rather than matched differently.</para>
/// </remarks>
internal sealed class OnigRegex
{
    // UTS #18 \w, Oniguruma's: Alphabetic, Mark, Decimal_Number, Connector_Punctuation, Join_Control.
    private const string WordClass = @"\p{L}\p{M}\p{Nd}\p{Nl}\p{Pc}\u200C\u200D\u24B6-\u24E9";

    private static readonly Dictionary<string, string> s_categories = new(StringComparer.Ordinal)
    {
        ["L"] = "L", ["Letter"] = "L", ["Lu"] = "Lu", ["Uppercase_Letter"] = "Lu", ["Ll"] = "Ll", ["Lowercase_Letter"] = "Ll",
        ["Lt"] = "Lt", ["Titlecase_Letter"] = "Lt", ["Lm"] = "Lm", ["Modifier_Letter"] = "Lm", ["Lo"] = "Lo", ["Other_Letter"] = "Lo",
        ["M"] = "M", ["Mark"] = "M", ["Mn"] = "Mn", ["Nonspacing_Mark"] = "Mn", ["Mc"] = "Mc", ["Spacing_Mark"] = "Mc",
        ["Me"] = "Me", ["Enclosing_Mark"] = "Me", ["N"] = "N", ["Number"] = "N", ["Nd"] = "Nd", ["Decimal_Number"] = "Nd",
        ["Nl"] = "Nl", ["Letter_Number"] = "Nl", ["No"] = "No", ["Other_Number"] = "No", ["P"] = "P", ["Punctuation"] = "P",
        ["Pc"] = "Pc", ["Connector_Punctuation"] = "Pc", ["Pd"] = "Pd", ["Dash_Punctuation"] = "Pd", ["Ps"] = "Ps",
        ["Open_Punctuation"] = "Ps", ["Pe"] = "Pe", ["Close_Punctuation"] = "Pe", ["Pi"] = "Pi", ["Initial_Punctuation"] = "Pi",
        ["Pf"] = "Pf", ["Final_Punctuation"] = "Pf", ["Po"] = "Po", ["Other_Punctuation"] = "Po", ["S"] = "S", ["Symbol"] = "S",
        ["Sm"] = "Sm", ["Math_Symbol"] = "Sm", ["Sc"] = "Sc", ["Currency_Symbol"] = "Sc", ["Sk"] = "Sk", ["Modifier_Symbol"] = "Sk",
        ["So"] = "So", ["Other_Symbol"] = "So", ["Z"] = "Z", ["Separator"] = "Z", ["Zs"] = "Zs", ["Space_Separator"] = "Zs",
        ["Zl"] = "Zl", ["Line_Separator"] = "Zl", ["Zp"] = "Zp", ["Paragraph_Separator"] = "Zp", ["C"] = "C", ["Other"] = "C",
        ["Cc"] = "Cc", ["Control"] = "Cc", ["Cf"] = "Cf", ["Format"] = "Cf", ["Co"] = "Co", ["Private_Use"] = "Co",
        ["Cn"] = "Cn", ["Unassigned"] = "Cn", ["Cs"] = "Cs", ["Surrogate"] = "Cs",
    };

    // A BMP character of each general category, standing in for supplementary-plane characters.
    private static readonly char[] s_standIns = BuildStandIns();

    private readonly Regex _regex;

    public OnigRegex(string pattern)
    {
        Pattern = pattern;
        TranslatedPattern = Translate(pattern);
        // A generous bound: a pathological pattern fails an encode instead of hanging it.
        _regex = new Regex(TranslatedPattern, RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromSeconds(10));
    }

    /// <summary>Gets the Oniguruma pattern.</summary>
    public string Pattern { get; }

    /// <summary>Gets the equivalent .NET pattern.</summary>
    public string TranslatedPattern { get; }

    /// <summary>Finds every non-overlapping match, leftmost first, and records matches and gaps covering the text.</summary>
    public void FindMatches(ReadOnlySpan<char> text, MatchList matches)
    {
        if (matches.Begin(text))
        {
            return;
        }

        int previous = 0;
        if (text.IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
        {
            foreach (ValueMatch m in _regex.EnumerateMatches(text))
            {
                matches.AddMatch(ref previous, m.Index, m.Index + m.Length);
            }

            matches.Finish(previous, text.Length);
            return;
        }

        // Match on one character per scalar value, then map positions back to UTF-16 offsets. Pooled: this runs per
        // word for any text with emoji or other supplementary characters.
        char[] proxy = ArrayPool<char>.Shared.Rent(text.Length);
        int[] map = ArrayPool<int>.Shared.Rent(text.Length + 1);
        try
        {
            int n = 0;
            for (int i = 0; i < text.Length;)
            {
                int cp = UnicodeChars.CodePointAt(text, i, out int len);
                map[n] = i;
                proxy[n++] = len == 1 ? text[i] : s_standIns[(int)CharUnicodeInfo.GetUnicodeCategory(cp)];
                i += len;
            }

            map[n] = text.Length;
            foreach (ValueMatch m in _regex.EnumerateMatches(proxy.AsSpan(0, n)))
            {
                matches.AddMatch(ref previous, map[m.Index], map[m.Index + m.Length]);
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(proxy);
            ArrayPool<int>.Shared.Return(map);
        }

        matches.Finish(previous, text.Length);
    }

    /// <summary>Translates an Oniguruma pattern to .NET syntax with the same meaning.</summary>
    internal static string Translate(string pattern)
    {
        var sb = new StringBuilder(pattern.Length + 16);
        bool inClass = false;
        int i = 0;
        while (i < pattern.Length)
        {
            char c = pattern[i];
            if (char.IsSurrogate(c))
            {
                throw new NotSupportedException("a supplementary-plane character in a regex pattern");
            }

            if (c == '\\')
            {
                if (i + 1 >= pattern.Length)
                {
                    throw new NotSupportedException("a regex pattern ending with '\\'");
                }

                i = TranslateEscape(pattern, i, inClass, sb);
                continue;
            }

            if (inClass)
            {
                if (c == '[')
                {
                    throw new NotSupportedException(pattern.AsSpan(i).StartsWith("[:") ? "POSIX bracket expressions in a regex" : "nested character classes in a regex");
                }

                if (c == '&' && i + 1 < pattern.Length && pattern[i + 1] == '&')
                {
                    throw new NotSupportedException("character class intersection (&&) in a regex");
                }

                if (c == ']')
                {
                    inClass = false;
                }

                sb.Append(c);
                i++;
                continue;
            }

            switch (c)
            {
                case '[':
                    inClass = true;
                    sb.Append('[');
                    i++;
                    if (i < pattern.Length && pattern[i] == '^')
                    {
                        sb.Append('^');
                        i++;
                    }

                    if (i < pattern.Length && pattern[i] == ']')
                    {
                        sb.Append(@"\]");
                        i++;
                    }

                    continue;
                case '(' when i + 1 < pattern.Length && pattern[i + 1] == '?':
                    i = TranslateGroupOpening(pattern, i, sb);
                    continue;
                case '{' when i + 1 < pattern.Length && pattern[i + 1] == ',':
                    sb.Append("{0");
                    i++;
                    continue;
                case '*' or '+' or '?' or '}' when i + 1 < pattern.Length && pattern[i + 1] == '+':
                    throw new NotSupportedException("possessive quantifiers in a regex");
                default:
                    sb.Append(c);
                    i++;
                    continue;
            }
        }

        return sb.ToString();
    }

    private static int TranslateEscape(string pattern, int i, bool inClass, StringBuilder sb)
    {
        char e = pattern[i + 1];
        switch (e)
        {
            case 'p' or 'P':
            {
                bool negate = e == 'P';
                int j = i + 2;
                string name;
                if (j < pattern.Length && pattern[j] == '{')
                {
                    int close = pattern.IndexOf('}', j);
                    if (close < 0)
                    {
                        throw new NotSupportedException("an unterminated \\p{...} in a regex");
                    }

                    name = pattern.Substring(j + 1, close - j - 1);
                    j = close + 1;
                }
                else if (j < pattern.Length)
                {
                    name = pattern[j].ToString();
                    j++;
                }
                else
                {
                    throw new NotSupportedException("an unterminated \\p in a regex");
                }

                if (name.StartsWith('^'))
                {
                    negate = !negate;
                    name = name[1..];
                }

                if (!s_categories.TryGetValue(name.Replace(" ", "_", StringComparison.Ordinal), out string? category))
                {
                    throw new NotSupportedException($"the Unicode property \\p{{{name}}} in a regex");
                }

                sb.Append(negate ? @"\P{" : @"\p{").Append(category).Append('}');
                return j;
            }

            case 'w':
                sb.Append(inClass ? WordClass : "[" + WordClass + "]");
                return i + 2;
            case 'W':
                if (inClass)
                {
                    throw new NotSupportedException("\\W inside a character class in a regex");
                }

                sb.Append("[^" + WordClass + "]");
                return i + 2;
            case 'h':
                sb.Append(inClass ? "0-9a-fA-F" : "[0-9a-fA-F]");
                return i + 2;
            case 'H':
                if (inClass)
                {
                    throw new NotSupportedException("\\H inside a character class in a regex");
                }

                sb.Append("[^0-9a-fA-F]");
                return i + 2;
            case 'x' when i + 2 < pattern.Length && pattern[i + 2] == '{':
            {
                int close = pattern.IndexOf('}', i + 3);
                if (close < 0 || !int.TryParse(pattern.AsSpan(i + 3, close - i - 3), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int cp))
                {
                    throw new NotSupportedException("a malformed \\x{...} in a regex");
                }

                if (cp > 0xFFFF)
                {
                    throw new NotSupportedException("a supplementary-plane character in a regex pattern");
                }

                sb.Append(@"\u").Append(cp.ToString("X4", CultureInfo.InvariantCulture));
                return close + 1;
            }

            case 'K' or 'R' or 'X' or 'y' or 'Y' or 'O' or 'N' or 'g' or 'o':
                throw new NotSupportedException($"the \\{e} escape in a regex");
            default:
                if (char.IsSurrogate(e))
                {
                    throw new NotSupportedException("a supplementary-plane character in a regex pattern");
                }

                sb.Append('\\').Append(e);
                return i + 2;
        }
    }

    private static int TranslateGroupOpening(string pattern, int i, StringBuilder sb)
    {
        // i points at "(?"
        int j = i + 2;
        if (j >= pattern.Length)
        {
            throw new NotSupportedException("an unterminated group in a regex");
        }

        char k = pattern[j];
        if (k is ':' or '=' or '!' or '>' or '#')
        {
            sb.Append("(?").Append(k);
            return j + 1;
        }

        if (k == '<')
        {
            // Lookbehind or named group: same syntax in .NET.
            sb.Append("(?<");
            return j + 1;
        }

        if (k == 'P' && j + 1 < pattern.Length && pattern[j + 1] == '<')
        {
            sb.Append("(?<");
            return j + 2;
        }

        if (k == '~')
        {
            throw new NotSupportedException("the absent operator (?~...) in a regex");
        }

        // Option letters: Oniguruma's 'm' is dot-all (.NET 's').
        sb.Append("(?");
        while (j < pattern.Length && pattern[j] is not (':' or ')'))
        {
            char o = pattern[j];
            switch (o)
            {
                case 'i' or 'x' or '-':
                    sb.Append(o);
                    break;
                case 'm':
                    sb.Append('s');
                    break;
                default:
                    throw new NotSupportedException($"the regex option '{o}'");
            }

            j++;
        }

        return j;
    }

    private static char[] BuildStandIns()
    {
        var standIns = new char[32];
        Array.Fill(standIns, '\u0378');
        Set(UnicodeCategory.UppercaseLetter, '\uA7B4');
        Set(UnicodeCategory.LowercaseLetter, '\uA7B5');
        Set(UnicodeCategory.TitlecaseLetter, '\u01C5');
        Set(UnicodeCategory.ModifierLetter, '\uA7F8');
        Set(UnicodeCategory.OtherLetter, '\uA000');
        Set(UnicodeCategory.NonSpacingMark, '\u1DC0');
        Set(UnicodeCategory.SpacingCombiningMark, '\u0903');
        Set(UnicodeCategory.EnclosingMark, '\u20DD');
        Set(UnicodeCategory.DecimalDigitNumber, '\uA620');
        Set(UnicodeCategory.LetterNumber, '\u2160');
        Set(UnicodeCategory.OtherNumber, '\u2460');
        Set(UnicodeCategory.ConnectorPunctuation, '\u203F');
        Set(UnicodeCategory.DashPunctuation, '\u2E3A');
        Set(UnicodeCategory.OpenPunctuation, '\u2E22');
        Set(UnicodeCategory.ClosePunctuation, '\u2E23');
        Set(UnicodeCategory.InitialQuotePunctuation, '\u2E1C');
        Set(UnicodeCategory.FinalQuotePunctuation, '\u2E1D');
        Set(UnicodeCategory.OtherPunctuation, '\u2E2E');
        Set(UnicodeCategory.MathSymbol, '\u2A00');
        Set(UnicodeCategory.CurrencySymbol, '\u20A0');
        Set(UnicodeCategory.ModifierSymbol, '\uA700');
        Set(UnicodeCategory.OtherSymbol, '\u2B00');
        Set(UnicodeCategory.Format, '\u2061');
        Set(UnicodeCategory.PrivateUse, '\uE000');
        return standIns;

        void Set(UnicodeCategory category, char c) => standIns[(int)category] = c;
    }
}
