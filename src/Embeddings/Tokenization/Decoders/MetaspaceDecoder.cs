using System.Text;

namespace Embeddings.Tokenization;

/// <summary>Turns the replacement character back into spaces; in the first token it is dropped unless the prepend
/// scheme is <c>never</c>.</summary>
internal sealed class MetaspaceDecoder(int replacement, MetaspacePrependScheme scheme) : TokenDecoder
{
    public override List<string> DecodeChain(List<string> tokens)
    {
        var result = new List<string>(tokens.Count);
        for (int i = 0; i < tokens.Count; i++)
        {
            var sb = new StringBuilder(tokens[i].Length);
            foreach (Rune r in tokens[i].EnumerateRunes())
            {
                if (r.Value == replacement)
                {
                    if (!(i == 0 && scheme != MetaspacePrependScheme.Never))
                    {
                        sb.Append(' ');
                    }
                }
                else
                {
                    sb.Append(r.ToString());
                }
            }

            result.Add(sb.ToString());
        }

        return result;
    }
}
