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
    // The BCL throws on U+FFFE, a noncharacter that normalization leaves alone (as Hugging Face's Rust code does).
    // It has no decomposition and combining class 0, so text is normalized run by run around it.
    private const char Noncharacter = '\uFFFE';

    private static readonly ConcurrentDictionary<int, int[]> s_canonical = new();
    private static readonly ConcurrentDictionary<int, int[]> s_compatible = new();

    // ASCII is its own decomposition; shared one-element arrays spare an allocation per character.
    private static readonly int[][] s_ascii = [.. Enumerable.Range(0, 0x80).Select(static c => new[] { c })];

    public UnicodeFormNormalizer(NormalizationForm form)
    {
        UnicodeNormalizationSupport.EnsureAvailable(form switch
        {
            NormalizationForm.FormC => "Unicode normalization (NFC)",
            NormalizationForm.FormD => "Unicode normalization (NFD)",
            NormalizationForm.FormKC => "Unicode normalization (NFKC)",
            _ => "Unicode normalization (NFKD)",
        });
        Form = form;
    }

    public NormalizationForm Form { get; }

    public override Piece Normalize(Workspace ws, Piece piece) => Apply(ws, piece, Form);

    /// <summary>Normalizes a piece to the given form.</summary>
    public static Piece Apply(Workspace ws, Piece piece, NormalizationForm form)
    {
        ReadOnlySpan<char> text = ws.Span(piece);
        if (Ascii.IsValid(text) || IsNormalizedText(text, form))
        {
            return piece;
        }

        bool compose = form is NormalizationForm.FormC or NormalizationForm.FormKC;
        NormalizationForm decomposedForm = form is NormalizationForm.FormC or NormalizationForm.FormD ? NormalizationForm.FormD : NormalizationForm.FormKD;
        string source = new(text);
        (List<int> cps, List<int> changes) = Decompose(source, decomposedForm);
        if (!Reorder(cps, changes, ToCodePoints(NormalizeText(source, decomposedForm))))
        {
            return Fallback(ws, piece, NormalizeText(source, form));
        }

        if (compose && !Recompose(cps, changes, ToCodePoints(NormalizeText(source, form))))
        {
            return Fallback(ws, piece, NormalizeText(source, form));
        }

        TransformWriter w = ws.BeginTransform(piece);
        for (int i = 0; i < cps.Count; i++)
        {
            w.Emit(cps[i], changes[i]);
        }

        return w.Finish();
    }

    private static (List<int> Cps, List<int> Changes) Decompose(string source, NormalizationForm form)
    {
        var cps = new List<int>(source.Length + 4);
        var changes = new List<int>(source.Length + 4);
        ConcurrentDictionary<int, int[]> cache = form == NormalizationForm.FormD ? s_canonical : s_compatible;
        foreach (Rune r in source.EnumerateRunes())
        {
            int[] d = r.Value < 0x80 ? s_ascii[r.Value] : cache.GetOrAdd(r.Value, static (cp, f) => ToCodePoints(NormalizeText(new Rune(cp).ToString(), f)), form);
            for (int i = 0; i < d.Length; i++)
            {
                cps.Add(d[i]);
                changes.Add(i == 0 ? 0 : 1);
            }
        }

        return (cps, changes);
    }

    // Canonical ordering is a stable sort within runs of combining marks: move each expected character into place,
    // carrying its change tag (a short rotation inside the run).
    private static bool Reorder(List<int> cps, List<int> changes, int[] target)
    {
        if (cps.Count != target.Length)
        {
            return false;
        }

        for (int i = 0; i < target.Length; i++)
        {
            if (cps[i] == target[i])
            {
                continue;
            }

            int j = i + 1;
            while (j < cps.Count && cps[j] != target[i])
            {
                j++;
            }

            if (j == cps.Count)
            {
                return false;
            }

            int movedCp = cps[j], movedChange = changes[j];
            for (int k = j; k > i; k--)
            {
                cps[k] = cps[k - 1];
                changes[k] = changes[k - 1];
            }

            cps[i] = movedCp;
            changes[i] = movedChange;
        }

        return true;
    }

    // Each composed character absorbs the decomposed characters of its canonical decomposition; its change is the
    // first one's plus (change - 1) for each absorbed character, as the recomposition iterator computes it. The
    // result replaces the decomposed lists.
    private static bool Recompose(List<int> cps, List<int> changes, int[] composed)
    {
        bool[] used = new bool[cps.Count];
        var outCps = new List<int>(composed.Length);
        var outChanges = new List<int>(composed.Length);
        int head = 0;
        foreach (int y in composed)
        {
            while (head < used.Length && used[head])
            {
                head++;
            }

            int[] parts = y < 0x80 ? s_ascii[y] : s_canonical.GetOrAdd(y, static cp => ToCodePoints(NormalizeText(new Rune(cp).ToString(), NormalizationForm.FormD)));
            if (head >= used.Length || cps[head] != parts[0])
            {
                return false;
            }

            int change = changes[head];
            used[head] = true;
            for (int k = 1; k < parts.Length; k++)
            {
                int at = head + 1;
                while (at < used.Length && (used[at] || cps[at] != parts[k]))
                {
                    at++;
                }

                if (at >= used.Length)
                {
                    return false;
                }

                change += changes[at] - 1;
                used[at] = true;
            }

            outCps.Add(y);
            outChanges.Add(change);
        }

        if (Array.IndexOf(used, false) >= 0)
        {
            return false;
        }

        cps.Clear();
        cps.AddRange(outCps);
        changes.Clear();
        changes.AddRange(outChanges);
        return true;
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

    private static bool IsNormalizedText(ReadOnlySpan<char> text, NormalizationForm form)
    {
        foreach (Range run in text.Split(Noncharacter))
        {
            if (!text[run].IsNormalized(form))
            {
                return false;
            }
        }

        return true;
    }

    private static string NormalizeText(string text, NormalizationForm form) =>
        text.Contains(Noncharacter, StringComparison.Ordinal)
            ? string.Join(Noncharacter, text.Split(Noncharacter).Select(run => run.Normalize(form)))
            : text.Normalize(form);

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
