using System.Globalization;

namespace Embeddings.Reliability.Support;

/// <summary>
/// The seed of the randomized tests: <c>EMBEDDINGS_TEST_SEED</c> when set (a number, or <c>random</c> for a fresh one),
/// otherwise a fixed default so CI runs are reproducible. Every failure message names the seed and the case.
/// </summary>
internal static class PropertySeed
{
    public const string Variable = "EMBEDDINGS_TEST_SEED";

    private const int DefaultSeed = 20_260_611;

    private static readonly Lazy<int> s_seed = new(Read);

    public static int Value => s_seed.Value;

    /// <summary>A generator for one test, mixing the run's seed with the test's name so tests draw different cases.</summary>
    public static Random For(string test) => new(Mix(Value, test));

    /// <summary>Runs <paramref name="cases"/> cases (each from its own generator, so a failing case can be replayed
    /// alone) until done or <paramref name="budget"/> is spent; reports the seed and the case on failure.</summary>
    /// <returns>How many cases ran.</returns>
    public static int Run(string test, int cases, TimeSpan budget, Action<int, Random> check)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        int seed = Mix(Value, test);
        int ran = 0;
        for (int i = 0; i < cases && watch.Elapsed < budget; i++, ran++)
        {
            try
            {
                check(i, new Random(seed + i));
            }
            catch (Exception ex)
            {
                throw new Xunit.Sdk.XunitException(
                    $"{test} failed at case {i} with {Variable}={Value} (replay with that variable): {ex.GetType().Name}: {ex.Message}", ex);
            }
        }

        return ran;
    }

    private static int Mix(int seed, string test)
    {
        // A stable string hash (string.GetHashCode is randomized per process).
        uint hash = 2166136261;
        foreach (char c in test)
        {
            hash = (hash ^ c) * 16777619;
        }

        return (int)(hash ^ (uint)seed) & int.MaxValue;
    }

    private static int Read()
    {
        string? value = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            return DefaultSeed;
        }

        return value.Equals("random", StringComparison.OrdinalIgnoreCase)
            ? Random.Shared.Next()
            : int.Parse(value, CultureInfo.InvariantCulture);
    }
}
