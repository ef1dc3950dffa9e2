using System.Collections.Concurrent;
using System.Text;

namespace Embeddings.Tokenization;

/// <summary>
/// NFC, NFD, NFKC or NFKD. The text comes from the BCL's normalization; the alignment of each output character
/// reproduces Hugging Face's <c>unicode_normalization_alignments</c> (decompose each character, canonically reorder
/// with its change tag, then recompose, a composed character taking its first component's alignment).
/// </summary>
internal sealed class UnicodeFormNormalizer : Normalizer
{
    private static readonly ConcurrentDictionary<int, int[]> s_canonical = new();
    private static readonly ConcurrentDictionary<int, int[]> s_compatible = new();

    public UnicodeFormNormalizer(NormalizationForm form) => Form = form;

    public NormalizationForm Form { get; }

    public override Piece Normalize(Workspace ws, Piece piece) => Apply(ws, piece, Form);

    /// <summary>Normalizes a piece to the given form.</summary>
    public static Piece Apply(Workspace ws, Piece piece, NormalizationForm form)
    {
        ReadOnlySpan<char> text = ws.Span(piece);
        if (Ascii.IsValid(text) || text.IsNormalized(form))
        {
            return piece;
        }

        bool compose = form is NormalizationForm.FormC or NormalizationForm.FormKC;
        NormalizationForm decomposedForm = form is NormalizationForm.FormC or NormalizationForm.FormD ? NormalizationForm.FormD : NormalizationForm.FormKD;
        string source = new(text);
        List<(int Cp, int Change)> tuples = Decompose(source, decomposedForm);
        int[] target = ToCodePoints(source.Normalize(decomposedForm));
        if (!Reorder(tuples, target))
        {
            return Fallback(ws, piece, source.Normalize(form));
        }

        if (compose)
        {
            int[] composed = ToCodePoints(source.Normalize(form));
            List<(int Cp, int Change)>? recomposed = Recompose(tuples, composed);
            if (recomposed is null)
            {
                return Fallback(ws, piece, source.Normalize(form));
            }

            tuples = recomposed;
        }

        TransformWriter w = ws.BeginTransform(piece);
        foreach ((int cp, int change) in tuples)
        {
            w.Emit(cp, change);
        }

        return w.Finish();
    }

    private static List<(int Cp, int Change)> Decompose(string source, NormalizationForm form)
    {
        var tuples = new List<(int, int)>(source.Length + 4);
        ConcurrentDictionary<int, int[]> cache = form == NormalizationForm.FormD ? s_canonical : s_compatible;
        foreach (Rune r in source.EnumerateRunes())
        {
            int[] d = r.Value < 0x80 ? [r.Value] : cache.GetOrAdd(r.Value, static (cp, f) => ToCodePoints(new Rune(cp).ToString().Normalize(f)), form);
            for (int i = 0; i < d.Length; i++)
            {
                tuples.Add((d[i], i == 0 ? 0 : 1));
            }
        }

        return tuples;
    }

    // Canonical ordering is a stable sort within runs of combining marks: move each expected character to its place.
    private static bool Reorder(List<(int Cp, int Change)> tuples, int[] target)
    {
        if (tuples.Count != target.Length)
        {
            return false;
        }

        for (int i = 0; i < target.Length; i++)
        {
            if (tuples[i].Cp == target[i])
            {
                continue;
            }

            int j = i + 1;
            while (j < tuples.Count && tuples[j].Cp != target[i])
            {
                j++;
            }

            if (j == tuples.Count)
            {
                return false;
            }

            (int, int) moved = tuples[j];
            tuples.RemoveAt(j);
            tuples.Insert(i, moved);
        }

        return true;
    }

    // Each composed character absorbs the decomposed characters of its canonical decomposition; its change is the
    // first one's plus (change - 1) for each absorbed character, as the recomposition iterator computes it.
    private static List<(int Cp, int Change)>? Recompose(List<(int Cp, int Change)> pending, int[] composed)
    {
        var result = new List<(int, int)>(composed.Length);
        var queue = new List<(int Cp, int Change)>(pending);
        foreach (int y in composed)
        {
            int[] parts = y < 0x80 ? [y] : s_canonical.GetOrAdd(y, static cp => ToCodePoints(new Rune(cp).ToString().Normalize(NormalizationForm.FormD)));
            if (queue.Count == 0 || queue[0].Cp != parts[0])
            {
                return null;
            }

            int change = queue[0].Change;
            queue.RemoveAt(0);
            for (int k = 1; k < parts.Length; k++)
            {
                int at = queue.FindIndex(t => t.Cp == parts[k]);
                if (at < 0)
                {
                    return null;
                }

                change += queue[at].Change - 1;
                queue.RemoveAt(at);
            }

            result.Add((y, change));
        }

        return queue.Count == 0 ? result : null;
    }

    // Used only if the BCL's tables disagree with the emulation: keeps the text exact, aligns one-for-one.
    private static Piece Fallback(Workspace ws, Piece piece, string normalized)
    {
        int sourceCount = UnicodeChars.CountCodePoints(ws.Span(piece));
        int[] cps = ToCodePoints(normalized);
        TransformWriter w = ws.BeginTransform(piece);
        for (int i = 0; i < cps.Length; i++)
        {
            int change = i < sourceCount ? 0 : 1;
            if (i == cps.Length - 1 && sourceCount > cps.Length)
            {
                change = -(sourceCount - cps.Length);
            }

            w.Emit(cps[i], change);
        }

        return w.Finish();
    }

    private static int[] ToCodePoints(string s)
    {
        var list = new List<int>(s.Length);
        foreach (Rune r in s.EnumerateRunes())
        {
            list.Add(r.Value);
        }

        return [.. list];
    }
}
