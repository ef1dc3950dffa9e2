using System.Text;

namespace Embeddings.Tokenization;

/// <summary>Maps GPT-2's byte alphabet back to bytes and decodes them as UTF-8 (invalid sequences become U+FFFD).</summary>
internal sealed class ByteLevelDecoder : TokenDecoder
{
    public static readonly ByteLevelDecoder Instance = new();

    public override List<string> DecodeChain(List<string> tokens)
    {
        var bytes = new List<byte>();
        foreach (string token in tokens)
        {
            int mark = bytes.Count;
            bool ok = true;
            foreach (char c in token)
            {
                short b = c < ByteLevelAlphabet.CharToByte.Length ? ByteLevelAlphabet.CharToByte[c] : (short)-1;
                if (b < 0)
                {
                    ok = false;
                    break;
                }

                bytes.Add((byte)b);
            }

            if (!ok)
            {
                // A token outside the alphabet (an added token) contributes its own UTF-8 bytes.
                bytes.RemoveRange(mark, bytes.Count - mark);
                bytes.AddRange(Encoding.UTF8.GetBytes(token));
            }
        }

        return [Encoding.UTF8.GetString([.. bytes])];
    }
}
