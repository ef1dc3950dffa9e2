using System.Text;
using System.Text.Json;
using Embeddings.TestSupport;

namespace Embeddings.Reliability.HostileInput;

/// <summary>The hostile text corpus: empty and blank texts, megabyte texts, broken UTF-16, control characters,
/// Unicode oddities, and every added-token literal of a model's tokenizer (with near misses).</summary>
internal static class HostileTexts
{
    public const int Megabyte = 1 << 20;

    /// <summary>Texts the models must embed whatever they contain (name, text).</summary>
    public static IEnumerable<(string Name, string Text)> Generic()
    {
        yield return ("empty", "");
        yield return ("one space", " ");
        yield return ("ASCII whitespace", " \t\n\r\v\f  \n\n");
        yield return ("Unicode whitespace", "\u00A0\u1680\u2000\u2001\u2002\u2003\u2009\u200A\u2028\u2029\u202F\u205F\u3000");
        yield return ("1 MB of words", Repeat("lorem ipsum dolor sit amet ", Megabyte));
        yield return ("1 MB without a space", new string('x', Megabyte));
        yield return ("100 KB of one CJK character", new string('語', 100_000));
        yield return ("100 KB of emoji", Repeat("🚀", 100_000));
        yield return ("2,000 punctuation marks", Repeat("!?.,;:", 2_000));
        yield return ("2,000 digits", Repeat("0123456789", 2_000));
        yield return ("lone high surrogate", "\uD800");
        yield return ("lone low surrogate inside", "abc\uDC00def");
        yield return ("reversed surrogate pair", "\uDE00\uD83D");
        yield return ("half an emoji at the end", "rocket \uD83D");
        yield return ("surrogates only", string.Concat(Enumerable.Repeat("\uDBFF\uDBFF\uDFFF\uDFFF", 100)));
        yield return ("every C0 control", new string([.. Enumerable.Range(0, 32).Select(i => (char)i)]));
        yield return ("NULs", "\0\0\0 nul \0 inside \0");
        yield return ("DEL and C1 controls", new string([(char)0x7F, .. Enumerable.Range(0x80, 32).Select(i => (char)i)]));
        yield return ("BOM, zero-width and direction marks", "\uFEFF\u200B\u200C\u200D\u2060\u202E\u202D\u2066\u2069text\u200E\u200F");
        yield return ("noncharacters and private use", "\uFFFE\uFFFF\uFDD0\uE000\uF8FF\U000F0000\U0010FFFF");
        yield return ("replacement characters", "\uFFFD\uFFFD\uFFFD");
        yield return ("10,000 combining marks on one letter", "a" + new string('\u0301', 10_000));
        yield return ("emoji ZWJ sequences and flags", "👩‍👩‍👧‍👦 🏳️‍🌈 🇯🇵🇫🇷 👍🏽 ❤️‍🔥");
        yield return ("mixed scripts", "English Ελληνικά Русский עברית العربية हिन्दी 中文 日本語 한국어 ไทย");
        yield return ("Hangul jamo and fullwidth", "ᄀᄁᄂ ＡＢＣ１２３ ｶﾀｶﾅ");
        yield return ("NFC/NFD forms", "e\u0301 é \u1E9B\u0323 ﬁ ℌ ⅷ");
        yield return ("a 1,000-digit number", new string('9', 1_000));
        yield return ("JSON and markup", "{\"query\": \"x\"} <script>alert(1)</script> ${HOME} %s %n {{0}}");
        yield return ("repeated newline", new string('\n', 5_000));
        yield return ("tabs and carriage returns", new string('\t', 2_000) + new string('\r', 2_000));
    }

    /// <summary>Every added token of the tokenizer in a model folder (special or not), alone, glued together, and
    /// in near-miss spellings.</summary>
    public static IEnumerable<(string Name, string Text)> AddedTokens(string modelFolder)
    {
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(modelFolder, "tokenizer.json")));
        string[] tokens = [.. json.RootElement.GetProperty("added_tokens").EnumerateArray().Select(t => t.GetProperty("content").GetString()!)];
        foreach (string token in tokens)
        {
            yield return ($"added token {Escape(token)}", token);
        }

        yield return ("every added token glued together", string.Concat(tokens));
        yield return ("every added token with spaces", string.Join(' ', tokens));
        foreach (string token in tokens.Take(16))
        {
            yield return ($"near miss of {Escape(token)}: cut", token[..^1]);
            yield return ($"near miss of {Escape(token)}: upper", token.ToUpperInvariant());
            yield return ($"near miss of {Escape(token)}: padded", " " + token + " ");
            yield return ($"near miss of {Escape(token)}: doubled", token + token);
        }
    }

    /// <summary>Texts that are ordinary, for the neighbours of hostile ones.</summary>
    public static readonly string[] Ordinary = ["a rocket on the launch pad", "a cat asleep on a bamboo chair", "snow on the mountains at dusk", "two cups of coffee"];

    public static string Folder(string model) => TestAssets.TinyModelDir(model);

    private static string Repeat(string unit, int length)
    {
        var builder = new StringBuilder(length + unit.Length);
        while (builder.Length < length)
        {
            builder.Append(unit);
        }

        return builder.ToString();
    }

    private static string Escape(string token) => token.Length > 40 ? token[..40] + "..." : token;
}
