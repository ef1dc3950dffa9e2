using System.Text;

namespace Embeddings.Tokenization;

/// <summary>
/// Whether the runtime can normalize Unicode. In invariant globalization mode .NET leaves non-ASCII text as it is, so a
/// tokenizer that normalizes (NFC/NFD/NFKC/NFKD, accent stripping) would silently produce other ids: refuse to load.
/// </summary>
internal static class UnicodeNormalizationSupport
{
    private static readonly bool s_available = Probe();

    public static void EnsureAvailable(string what)
    {
        if (!s_available)
        {
            // PlatformNotSupportedException, not its base NotSupportedException: Tokenizer.Load reports the latter as
            // an unsupported tokenizer feature, but this message says what the runtime lacks.
            throw new PlatformNotSupportedException(
                $"The tokenizer needs {what}, which .NET does not perform in invariant globalization mode: without it non-ASCII " +
                "text would get other token ids. Turn invariant mode off (InvariantGlobalization=false in the project, " +
                "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT unset) and install ICU (libicu).");
        }
    }

    private static bool Probe()
    {
        try
        {
            // U+00E9 decomposes to 'e' + U+0301 wherever normalization works.
            return "\u00e9".Normalize(NormalizationForm.FormD).Length == 2;
        }
        catch (PlatformNotSupportedException)
        {
            return false;
        }
    }
}
