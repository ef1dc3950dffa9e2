using System.Text;
using System.Text.Json;

namespace Embeddings.Tokenization;

/// <summary>
/// Token ids, attention masks, type ids, special-token masks, offsets and decoded text compared with Hugging Face's
/// Rust tokenizers on the committed corpus, for the Gemma 3, CLIP and MiniLM tokenizers in every configuration the
/// reference generator wrote, and for the hand-written fixtures covering the remaining components.
/// </summary>
public sealed class TokenizerParityTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> RealTokenizers => Data(n => !n.StartsWith("fixture-", StringComparison.Ordinal));

    public static TheoryData<string, string> Fixtures => Data(n => n.StartsWith("fixture-", StringComparison.Ordinal));

    [Theory]
    [MemberData(nameof(RealTokenizers))]
    public void Encode_RealTokenizerConfiguration_MatchesRustTokenizersExactly(string tokenizer, string config) => Check(tokenizer, config);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Encode_FixtureConfiguration_MatchesRustTokenizersExactly(string tokenizer, string config) => Check(tokenizer, config);

    private static TheoryData<string, string> Data(Func<string, bool> filter)
    {
        var data = new TheoryData<string, string>();
        foreach ((string t, string c) in TokenizerReference.Cases(filter))
        {
            data.Add(t, c);
        }

        return data;
    }

    private void Check(string tokenizerName, string configName)
    {
        TokenizerReference reference = TokenizerReference.Load(tokenizerName, configName);
        Tokenizer tokenizer = TokenizerReference.TokenizerFor(tokenizerName);
        IReadOnlyList<(string Text, string? Pair)> inputs = reference.Inputs();
        Assert.Equal(reference.Results.Count, inputs.Count);

        (TokenizedText? Encoding, Exception? Error)[] actual = Encode(tokenizer, reference, inputs);
        int tokensOk = 0, offsetsChecked = 0, offsetsOk = 0, decodeChecked = 0, decodeOk = 0;
        var failures = new StringBuilder();
        int failureCount = 0;
        for (int i = 0; i < inputs.Count; i++)
        {
            TokenizerReference.Expected expected = reference.Results[i];
            (TokenizedText? got, Exception? error) = actual[i];
            string? problem = null;
            if (expected.Error is not null)
            {
                if (error is ArgumentException)
                {
                    tokensOk++;
                }
                else
                {
                    problem = $"expected an error ({expected.Error}), got {(error is null ? Ids(got!) : error.GetType().Name)}";
                }
            }
            else if (got is null)
            {
                problem = $"threw {error!.GetType().Name}: {error.Message}";
            }
            else if (!got.Ids.Span.SequenceEqual(expected.Ids) || Digits(got.AttentionMask) != expected.Mask
                || Digits(got.TypeIds) != expected.Types || Digits(got.SpecialTokensMask) != expected.Special)
            {
                problem = $"ids\n      expected [{Clip(string.Join(',', expected.Ids))}] mask {Clip(expected.Mask)} types {Clip(expected.Types)} special {Clip(expected.Special)}"
                    + $"\n      actual   [{Clip(Ids(got))}] mask {Clip(Digits(got.AttentionMask))} types {Clip(Digits(got.TypeIds))} special {Clip(Digits(got.SpecialTokensMask))}";
            }
            else
            {
                tokensOk++;
                if (expected.Offsets is { } offsets)
                {
                    offsetsChecked++;
                    int[] mine = [.. got.Offsets.ToArray().SelectMany(o => new[] { o.Start, o.End })];
                    if (mine.AsSpan().SequenceEqual(offsets))
                    {
                        offsetsOk++;
                    }
                    else
                    {
                        problem = $"offsets\n      expected [{Clip(string.Join(',', offsets))}]\n      actual   [{Clip(string.Join(',', mine))}]";
                    }
                }

                if (expected.Decoded is not null)
                {
                    decodeChecked++;
                    string decoded = tokenizer.Decode(got.Ids.Span);
                    string skipped = tokenizer.Decode(got.Ids.Span, skipSpecialTokens: true);
                    if (decoded == expected.Decoded && skipped == expected.DecodedSkip)
                    {
                        decodeOk++;
                    }
                    else
                    {
                        problem ??= $"decode\n      expected {JsonSerializer.Serialize(expected.Decoded)} / {JsonSerializer.Serialize(expected.DecodedSkip)}"
                            + $"\n      actual   {JsonSerializer.Serialize(decoded)} / {JsonSerializer.Serialize(skipped)}";
                    }
                }
            }

            if (problem is not null && ++failureCount <= 5)
            {
                string input = JsonSerializer.Serialize(inputs[i].Pair is null ? inputs[i].Text : inputs[i].Text + " ||| " + inputs[i].Pair);
                failures.Append("\n  #").Append(i).Append(' ').Append(input.Length > 160 ? input[..160] + "…" : input).Append("\n    ").Append(problem);
            }
        }

        string summary = $"{tokenizerName}/{configName}: ids+masks {tokensOk}/{inputs.Count} ({100.0 * tokensOk / inputs.Count:F2}%)"
            + (offsetsChecked > 0 ? $", offsets {offsetsOk}/{offsetsChecked}" : string.Empty)
            + (decodeChecked > 0 ? $", decode {decodeOk}/{decodeChecked}" : string.Empty);
        output.WriteLine(summary);
        Assert.True(failureCount == 0, summary + failures);
    }

    private static (TokenizedText?, Exception?)[] Encode(Tokenizer tokenizer, TokenizerReference reference, IReadOnlyList<(string Text, string? Pair)> inputs)
    {
        var results = new (TokenizedText?, Exception?)[inputs.Count];
        // Rectangular batches where the reference's rows are rectangular too (padding to the longest, or to a
        // maximum length that truncation enforces); single encodes otherwise.
        bool batched = reference.BatchSize is not null || (reference.Padding == PaddingMode.MaxLength && reference.Options.Truncation == true);
        int size = reference.BatchSize ?? inputs.Count;
        for (int start = 0; start < inputs.Count; start += batched ? size : 1)
        {
            int count = batched ? Math.Min(size, inputs.Count - start) : 1;
            var chunk = inputs.Skip(start).Take(count).ToList();
            try
            {
                if (batched)
                {
                    TokenizedBatch batch = reference.Pairs
                        ? tokenizer.EncodeBatch([.. chunk.Select(c => c.Text)], [.. chunk.Select(c => c.Pair!)], reference.Options)
                        : tokenizer.EncodeBatch([.. chunk.Select(c => c.Text)], reference.Options);
                    for (int k = 0; k < count; k++)
                    {
                        results[start + k] = (batch.Items[k], null);
                    }
                }
                else
                {
                    results[start] = (tokenizer.Encode(chunk[0].Text, chunk[0].Pair, reference.Options), null);
                }
            }
            catch (ArgumentException) when (batched)
            {
                // One input fails the whole batch, as in the Rust library: attribute the error item by item.
                for (int k = 0; k < count; k++)
                {
                    try
                    {
                        results[start + k] = (tokenizer.Encode(chunk[k].Text, chunk[k].Pair, reference.Options), null);
                    }
                    catch (ArgumentException ex)
                    {
                        results[start + k] = (null, ex);
                    }
                }
            }
            catch (Exception ex) when (!batched)
            {
                results[start] = (null, ex);
            }
        }

        return results;
    }

    private static string Ids(TokenizedText t) => string.Join(',', t.Ids.ToArray());

    private static string Clip(string s) => s.Length > 400 ? s[..400] + "…" : s;

    private static string Digits(ReadOnlyMemory<int> values)
    {
        var sb = new StringBuilder(values.Length);
        foreach (int v in values.Span)
        {
            sb.Append(v);
        }

        return sb.ToString();
    }
}
