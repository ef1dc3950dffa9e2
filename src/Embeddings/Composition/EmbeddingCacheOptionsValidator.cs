using Microsoft.Extensions.Options;

namespace Embeddings.Composition;

/// <summary>Checks <see cref="EmbeddingCacheOptions"/>; used by the provider's constructors and by start-up validation.</summary>
internal sealed class EmbeddingCacheOptionsValidator : IValidateOptions<EmbeddingCacheOptions>
{
    /// <summary>The shared instance.</summary>
    public static readonly EmbeddingCacheOptionsValidator Instance = new();

    public ValidateOptionsResult Validate(string? name, EmbeddingCacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> failures = [];
        if (!Enum.IsDefined(options.Backend))
        {
            failures.Add($"{nameof(EmbeddingCacheOptions.Backend)} must be Memory or Distributed.");
        }

        if (options.AbsoluteExpiration is { } absolute && absolute <= TimeSpan.Zero)
        {
            failures.Add($"{nameof(EmbeddingCacheOptions.AbsoluteExpiration)} must be positive when set.");
        }

        if (options.SlidingExpiration is { } sliding && sliding <= TimeSpan.Zero)
        {
            failures.Add($"{nameof(EmbeddingCacheOptions.SlidingExpiration)} must be positive when set.");
        }

        if (options.MaxEntryBytes <= EmbeddingCacheValue.HeaderBytes)
        {
            failures.Add($"{nameof(EmbeddingCacheOptions.MaxEntryBytes)} must be larger than the {EmbeddingCacheValue.HeaderBytes}-byte header.");
        }

        if (options.MaxInputBytes < 0)
        {
            failures.Add($"{nameof(EmbeddingCacheOptions.MaxInputBytes)} must not be negative.");
        }

        if (options.MemorySizeLimitBytes <= 0)
        {
            failures.Add($"{nameof(EmbeddingCacheOptions.MemorySizeLimitBytes)} must be positive.");
        }

        if (options.OperationTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{nameof(EmbeddingCacheOptions.OperationTimeout)} must be positive.");
        }

        if (options.BreakDuration < TimeSpan.Zero)
        {
            failures.Add($"{nameof(EmbeddingCacheOptions.BreakDuration)} must not be negative.");
        }

        if (options.KeyPrefix is null)
        {
            failures.Add($"{nameof(EmbeddingCacheOptions.KeyPrefix)} must not be null.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every invalid setting.</summary>
    public static void ThrowIfInvalid(EmbeddingCacheOptions options, string paramName)
    {
        ValidateOptionsResult result = Instance.Validate(null, options);
        if (result.Failed)
        {
            throw new ArgumentException("Invalid embedding cache options: " + result.FailureMessage, paramName);
        }
    }
}
