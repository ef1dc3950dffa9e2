using System.Text.Json;
using Embeddings.Reliability.Support;
using Embeddings.TestSupport;
using Embeddings.Tokenization;

namespace Embeddings.Reliability.Properties;

/// <summary>
/// Randomized properties of the real tokenizers (CLIP, MiniLM, Gemma 3) on random Unicode: encoding never throws,
/// every id is in the vocabulary, offsets stay inside the text, truncation keeps its bound, and decoding round-trips
/// (exactly for Gemma 3's byte-fallback BPE; as a fixed point of encode-decode for the normalizing ones).
/// </summary>
public sealed class TokenizerPropertyTests(ITestOutputHelper output)
{
    private const int Cases = 2000;

    private static readonly TimeSpan s_budget = TimeSpan.FromSeconds(4);

    public static TheoryData<string> Tokenizers => ["clip-vit-base-patch32", "all-MiniLM-L6-v2", "gemma3"];

    [Theory]
    [MemberData(nameof(Tokenizers))]
    public void Encode_RandomUnicode_IdsInVocabularyAndOffsetsInsideTheText(string name)
    {
        Tokenizer tokenizer = Load(name);
        string[] literals = AddedTokens(name, specialOnly: false);
        int tokens = 0;
        int ran = PropertySeed.Run($"{nameof(Encode_RandomUnicode_IdsInVocabularyAndOffsetsInsideTheText)}/{name}", Cases, s_budget, (_, random) =>
        {
            string text = RandomText.Next(random, 300, loneSurrogates: true, literals);
            TokenizedText encoded = tokenizer.Encode(text);
            tokens += encoded.Length;
            Assert.Equal(encoded.Length, encoded.AttentionMask.Length);
            Assert.Equal(encoded.Length, encoded.Offsets.Length);
            ReadOnlySpan<int> ids = encoded.Ids.Span;
            ReadOnlySpan<TokenOffsets> offsets = encoded.Offsets.Span;
            for (int i = 0; i < ids.Length; i++)
            {
                Assert.InRange(ids[i], 0, tokenizer.VocabularySize - 1);
                Assert.NotNull(tokenizer.IdToToken(ids[i]));
                Assert.InRange(offsets[i].Start, 0, text.Length);
                Assert.InRange(offsets[i].End, offsets[i].Start, text.Length);
            }
        });

        output.WriteLine($"{name}: {ran} random texts, {tokens} tokens, seed {PropertySeed.Value}.");
        Assert.True(ran >= 200, $"only {ran} cases ran within the budget");
    }

    [Theory]
    [MemberData(nameof(Tokenizers))]
    public void Encode_RandomUnicodeWithMaxLength_NeverLongerAndKeepsSpecialTokens(string name)
    {
        Tokenizer tokenizer = Load(name);
        string[] literals = AddedTokens(name, specialOnly: false);
        int[] bare = tokenizer.Encode("", new EncodeOptions { AddSpecialTokens = true }).Ids.ToArray();
        int ran = PropertySeed.Run($"{nameof(Encode_RandomUnicodeWithMaxLength_NeverLongerAndKeepsSpecialTokens)}/{name}", Cases, s_budget, (_, random) =>
        {
            string text = RandomText.Next(random, 600, loneSurrogates: true, literals);
            int maxLength = random.Next(bare.Length + 1, 80);
            TokenizedText encoded = tokenizer.Encode(text, new EncodeOptions { Truncation = true, MaxLength = maxLength });
            Assert.InRange(encoded.Length, bare.Length, maxLength);

            // The special tokens an empty text gets stay at the ends whatever is cut.
            ReadOnlySpan<int> ids = encoded.Ids.Span;
            ReadOnlySpan<int> mask = encoded.SpecialTokensMask.Span;
            int leading = 0;
            while (leading < bare.Length && bare[leading] == ids[leading] && mask[leading] == 1)
            {
                leading++;
            }

            int trailing = bare.Length - leading;
            Assert.True(ids[^trailing..].SequenceEqual(bare.AsSpan(leading)), "the closing special tokens were cut");
        });

        output.WriteLine($"{name}: {ran} random texts truncated to random lengths, seed {PropertySeed.Value}.");
    }

    [Fact]
    public void DecodeEncode_Gemma3RandomUnicode_RoundTripsExactly()
    {
        // Gemma 3: no normalization beyond ' ' -> '▁', byte fallback for anything not in the vocabulary, so decoding
        // gives back the text, except that a '▁' typed in the text comes back as a space (as with Hugging Face's
        // decoder) and lone surrogates come back as U+FFFD (as any UTF-8 round trip gives them).
        Tokenizer tokenizer = Load("gemma3");
        string[] literals = AddedTokens("gemma3", specialOnly: false, nonSpecialOnly: true);
        var options = new EncodeOptions { AddSpecialTokens = false };
        int ran = PropertySeed.Run(nameof(DecodeEncode_Gemma3RandomUnicode_RoundTripsExactly), Cases, s_budget, (_, random) =>
        {
            string text = RandomText.Next(random, 300, loneSurrogates: true, literals);
            TokenizedText encoded = tokenizer.Encode(text, options);
            string decoded = tokenizer.Decode(encoded.Ids.Span, skipSpecialTokens: true);
            string expected = RandomText.Scrubbed(text).Replace('\u2581', ' ');
            Assert.True(expected == decoded, $"\"{RandomText.Escape(text)}\" decodes to \"{RandomText.Escape(decoded)}\"");
        });

        output.WriteLine($"gemma3: {ran} random texts round-tripped, seed {PropertySeed.Value}.");
    }

    [Theory]
    [InlineData("all-MiniLM-L6-v2")]
    public void EncodeDecode_NormalizingTokenizers_DecodedTextReEncodesToTheSameIds(string name)
    {
        // BERT normalizes (lowercase, accents, controls, whitespace), so a text does not come back as it was; what comes
        // back must be a fixed point: encoding the decoded text gives the same ids. (CLIP's tokenizer.json decoder leaves
        // its '</w>' word ends in the text, in Hugging Face's implementation too, so it has no such fixed point.)
        Tokenizer tokenizer = Load(name);
        var options = new EncodeOptions { AddSpecialTokens = false };
        int ran = PropertySeed.Run($"{nameof(EncodeDecode_NormalizingTokenizers_DecodedTextReEncodesToTheSameIds)}/{name}", Cases, s_budget, (_, random) =>
        {
            string text = RandomText.Next(random, 200, loneSurrogates: false);
            int[] ids = tokenizer.Encode(text, options).Ids.ToArray();
            string decoded = tokenizer.Decode(ids, skipSpecialTokens: false);
            int[] again = tokenizer.Encode(decoded, options).Ids.ToArray();
            Assert.True(ids.SequenceEqual(again),
                $"\"{RandomText.Escape(text)}\": ids {string.Join(',', ids.Take(20))}... decode to \"{RandomText.Escape(decoded)}\", which encodes to {string.Join(',', again.Take(20))}...");
        });

        output.WriteLine($"{name}: {ran} random texts, encode(decode(encode(t))) == encode(t), seed {PropertySeed.Value}.");
    }

    private static Tokenizer Load(string name) => Tokenizer.Create(TestAssets.TokenizerDir(name));

    private static string[] AddedTokens(string name, bool specialOnly, bool nonSpecialOnly = false)
    {
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(TestAssets.TokenizerDir(name), "tokenizer.json")));
        return [.. json.RootElement.GetProperty("added_tokens").EnumerateArray()
            .Where(t => (!specialOnly || t.GetProperty("special").GetBoolean()) && (!nonSpecialOnly || !t.GetProperty("special").GetBoolean()))
            .Select(t => t.GetProperty("content").GetString()!)];
    }
}
