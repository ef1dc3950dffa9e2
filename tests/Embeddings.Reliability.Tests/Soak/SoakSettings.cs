using System.Globalization;

namespace Embeddings.Reliability.Soak;

/// <summary>How long the fault soak runs: <c>EMBEDDINGS_SOAK_SECONDS</c> (default 30; CI keeps it at 60 or less, a
/// long run by hand sets minutes or hours).</summary>
internal static class SoakSettings
{
    public const string Variable = "EMBEDDINGS_SOAK_SECONDS";

    public const int DefaultSeconds = 30;

    public static TimeSpan Duration
    {
        get
        {
            string? value = Environment.GetEnvironmentVariable(Variable);
            return TimeSpan.FromSeconds(string.IsNullOrWhiteSpace(value) ? DefaultSeconds : double.Parse(value, CultureInfo.InvariantCulture));
        }
    }
}
