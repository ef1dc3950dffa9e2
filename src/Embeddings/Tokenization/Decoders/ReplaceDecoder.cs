namespace Embeddings.Tokenization;

/// <summary>Replaces a pattern in each token.</summary>
internal sealed class ReplaceDecoder(SplitPattern pattern, string content) : TokenDecoder
{
    public override List<string> DecodeChain(List<string> tokens)
    {
        var result = new List<string>(tokens.Count);
        var matches = new MatchList();
        foreach (string token in tokens)
        {
            pattern.FindMatches(token, matches);
            var sb = new System.Text.StringBuilder(token.Length);
            for (int i = 0; i < matches.Count; i++)
            {
                sb.Append(matches.IsMatch(i) ? content : token.AsSpan(matches.Start(i), matches.End(i) - matches.Start(i)));
            }

            result.Add(sb.ToString());
        }

        return result;
    }
}
