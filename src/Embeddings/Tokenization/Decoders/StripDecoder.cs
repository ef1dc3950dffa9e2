namespace Embeddings.Tokenization;

/// <summary>Removes up to <c>start</c> leading and <c>stop</c> trailing occurrences of a character from each token.</summary>
internal sealed class StripDecoder(int content, int start, int stop) : TokenDecoder
{
    public override List<string> DecodeChain(List<string> tokens)
    {
        var result = new List<string>(tokens.Count);
        foreach (string token in tokens)
        {
            int[] chars = token.EnumerateRunes().Select(r => r.Value).ToArray();
            int startCut = 0;
            for (int i = 0; i < Math.Min(start, chars.Length); i++)
            {
                if (chars[i] != content)
                {
                    break;
                }

                startCut = i + 1;
            }

            int stopCut = chars.Length;
            for (int i = 0; i < stop && chars.Length - i - 1 >= 0; i++)
            {
                int index = chars.Length - i - 1;
                if (chars[index] != content)
                {
                    break;
                }

                stopCut = index;
            }

            result.Add(stopCut <= startCut ? string.Empty : string.Concat(chars[startCut..stopCut].Select(char.ConvertFromUtf32)));
        }

        return result;
    }
}
