using System.Globalization;
using System.Net.Http.Headers;

namespace Embeddings.Remote;

/// <summary>
/// Reads how long a service asked the client to wait: <c>Retry-After</c> (seconds or an HTTP date), the IETF
/// <c>RateLimit</c> field (<c>t=</c> or <c>reset=</c>), and <c>RateLimit-Reset</c> / <c>X-RateLimit-Reset</c>
/// (seconds to wait, or a Unix time when the value is that large).
/// </summary>
internal static class RetryAfterReader
{
    // Values above this are Unix times (seconds since 1970), not delays: about 2001-09-09.
    private const double UnixTimeThreshold = 1_000_000_000;

    /// <summary>Gets the requested wait, if the response carries one.</summary>
    /// <param name="headers">The response headers.</param>
    /// <param name="now">The current time.</param>
    /// <returns>The wait (never negative), or <see langword="null"/>.</returns>
    public static TimeSpan? Read(HttpResponseHeaders headers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
            {
                return NonNegative(delta);
            }

            if (retryAfter.Date is { } date)
            {
                return NonNegative(date - now);
            }
        }

        if (headers.TryGetValues("RateLimit", out IEnumerable<string>? rateLimit)
            && TryReadStructuredReset(string.Join(',', rateLimit)) is { } structured)
        {
            return ToDelay(structured, now);
        }

        foreach (string name in (ReadOnlySpan<string>)["RateLimit-Reset", "X-RateLimit-Reset"])
        {
            if (headers.TryGetValues(name, out IEnumerable<string>? values)
                && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds))
            {
                return ToDelay(seconds, now);
            }
        }

        return null;
    }

    /// <summary>Reads <c>t=</c> (draft 7+: <c>"policy";r=0;t=55</c>) or <c>reset=</c> (draft 3:
    /// <c>limit=100, remaining=0, reset=55</c>) from a RateLimit field.</summary>
    internal static double? TryReadStructuredReset(string value)
    {
        foreach (string part in value.Split([';', ','], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            ReadOnlySpan<char> key = part.AsSpan(0, eq).Trim();
            if ((key.SequenceEqual("t") || key.SequenceEqual("reset"))
                && double.TryParse(part.AsSpan(eq + 1).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds))
            {
                return seconds;
            }
        }

        return null;
    }

    private static TimeSpan? ToDelay(double seconds, DateTimeOffset now)
    {
        if (!double.IsFinite(seconds) || seconds < 0)
        {
            return null;
        }

        if (seconds > UnixTimeThreshold)
        {
            return NonNegative(DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000)) - now);
        }

        return TimeSpan.FromSeconds(Math.Min(seconds, TimeSpan.FromDays(1).TotalSeconds));
    }

    private static TimeSpan NonNegative(TimeSpan t) => t < TimeSpan.Zero ? TimeSpan.Zero : t;
}
