using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Embeddings.Tokenization;

/// <summary>
/// Character classes with the exact definitions Hugging Face tokenizers uses (Rust's <c>char</c> methods, the
/// <c>unicode_categories</c> crate, Oniguruma's <c>\w</c>/<c>\s</c>), on Unicode scalar values.
/// </summary>
internal static class UnicodeChars
{
    // One bit per BMP character for the hot predicates, built once from the BCL's category data.
    private static readonly ulong[] s_letter = BuildTable(cp => IsCategoryLetter(Category(cp)));
    private static readonly ulong[] s_number = BuildTable(cp => IsCategoryNumber(Category(cp)));
    private static readonly ulong[] s_whitespace = BuildTable(cp => char.IsWhiteSpace((char)cp));

    /// <summary>Gets the general category of a scalar value.</summary>
    public static UnicodeCategory Category(int cp) => CharUnicodeInfo.GetUnicodeCategory(cp);

    /// <summary>Unicode White_Space, as Rust's <c>char::is_whitespace</c>, Oniguruma's and .NET's <c>\s</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsWhitespace(int cp) => cp < 0x10000 && (s_whitespace[cp >> 6] & (1UL << cp)) != 0;

    /// <summary>General category L (any letter).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsLetter(int cp) => cp < 0x10000 ? (s_letter[cp >> 6] & (1UL << cp)) != 0 : IsCategoryLetter(Category(cp));

    /// <summary>General category N (any number), as Rust's <c>char::is_numeric</c> and regex <c>\p{N}</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsNumber(int cp) => cp < 0x10000 ? (s_number[cp >> 6] & (1UL << cp)) != 0 : IsCategoryNumber(Category(cp));

    /// <summary>The Unicode word character of UTS #18 (Alphabetic, Mark, Decimal_Number, Connector_Punctuation,
    /// Join_Control): Oniguruma's and Rust regex's <c>\w</c>. Alphabetic adds letter numbers and the circled and
    /// squared Latin letters to the L category.</summary>
    public static bool IsWord(int cp)
    {
        if (cp < 0x80)
        {
            return (uint)(cp - 'a') < 26 || (uint)(cp - 'A') < 26 || (uint)(cp - '0') < 10 || cp == '_';
        }

        if (cp is 0x200C or 0x200D or (>= 0x24B6 and <= 0x24E9) or (>= 0x1F130 and <= 0x1F149)
            or (>= 0x1F150 and <= 0x1F169) or (>= 0x1F170 and <= 0x1F189))
        {
            return true;
        }

        UnicodeCategory c = Category(cp);
        return IsCategoryLetter(c) || IsCategoryMark(c) || c is UnicodeCategory.DecimalDigitNumber
            or UnicodeCategory.LetterNumber or UnicodeCategory.ConnectorPunctuation;
    }

    /// <summary>The <c>unicode_categories</c> crate's <c>is_other</c> as it behaves: Cc, Cf, Co or Cs. Its table of
    /// unassigned characters (Cn) is empty, so unassigned code points and noncharacters are not "other".</summary>
    public static bool IsOther(int cp) => Category(cp) is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate;

    /// <summary>The <c>unicode_categories</c> crate's <c>is_punctuation</c>: any P category.</summary>
    public static bool IsPunctuation(int cp) => Category(cp) is UnicodeCategory.ConnectorPunctuation
        or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation
        or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
        or UnicodeCategory.OtherPunctuation;

    /// <summary>BERT's punctuation: ASCII punctuation or any Unicode P category.</summary>
    public static bool IsBertPunctuation(int cp) =>
        cp is (>= 33 and <= 47) or (>= 58 and <= 64) or (>= 91 and <= 96) or (>= 123 and <= 126) || IsPunctuation(cp);

    /// <summary>General category M (Mn, Mc or Me).</summary>
    public static bool IsMark(int cp) => IsCategoryMark(Category(cp));

    /// <summary>General category Mn.</summary>
    public static bool IsNonSpacingMark(int cp) => Category(cp) == UnicodeCategory.NonSpacingMark;

    /// <summary>The CJK ideograph ranges BERT pads with spaces.</summary>
    public static bool IsChineseChar(int cp) => cp is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF)
        or (>= 0x20000 and <= 0x2A6DF) or (>= 0x2A700 and <= 0x2B73F) or (>= 0x2B740 and <= 0x2B81F)
        or (>= 0x2B920 and <= 0x2CEAF) or (>= 0xF900 and <= 0xFAFF) or (>= 0x2F800 and <= 0x2FA1F);

    /// <summary>Writes Rust's <c>char::to_lowercase</c> of a scalar value (full mapping, no context) and returns the
    /// number of scalar values written (1 or 2).</summary>
    public static int ToLower(int cp, Span<int> destination)
    {
        if (cp < 0x80)
        {
            destination[0] = (uint)(cp - 'A') < 26 ? cp + 32 : cp;
            return 1;
        }

        if (cp == 0x130)
        {
            // The one unconditional multi-character lowercase mapping (SpecialCasing.txt).
            destination[0] = 'i';
            destination[1] = 0x307;
            return 2;
        }

        destination[0] = Rune.ToLowerInvariant(new Rune(cp)).Value;
        return 1;
    }

    /// <summary>Reads the scalar value at <paramref name="index"/> (a surrogate pair counts as one) and its length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CodePointAt(ReadOnlySpan<char> text, int index, out int length)
    {
        char c = text[index];
        if (char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            length = 2;
            return char.ConvertToUtf32(c, text[index + 1]);
        }

        length = 1;
        return c;
    }

    /// <summary>Reads the scalar value ending just before <paramref name="end"/>.</summary>
    public static int CodePointBefore(ReadOnlySpan<char> text, int end, out int length)
    {
        char c = text[end - 1];
        if (char.IsLowSurrogate(c) && end >= 2 && char.IsHighSurrogate(text[end - 2]))
        {
            length = 2;
            return char.ConvertToUtf32(text[end - 2], c);
        }

        length = 1;
        return c;
    }

    /// <summary>Counts the scalar values in a span.</summary>
    public static int CountCodePoints(ReadOnlySpan<char> text)
    {
        int n = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (!(char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])))
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>Gets the number of UTF-8 bytes of a scalar value.</summary>
    public static int Utf8Length(int cp) => cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;

    private static bool IsCategoryLetter(UnicodeCategory c) => c <= UnicodeCategory.OtherLetter;

    private static bool IsCategoryMark(UnicodeCategory c) => c is UnicodeCategory.NonSpacingMark
        or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;

    private static bool IsCategoryNumber(UnicodeCategory c) => c is UnicodeCategory.DecimalDigitNumber
        or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;

    private static ulong[] BuildTable(Func<int, bool> predicate)
    {
        var table = new ulong[1024];
        for (int cp = 0; cp < 0x10000; cp++)
        {
            if (predicate(cp))
            {
                table[cp >> 6] |= 1UL << cp;
            }
        }

        return table;
    }
}
