using Microsoft.Extensions.Options;

namespace Embeddings.Composition;

/// <summary>Checks <see cref="FallbackProviderOptions"/>; used by the provider's constructor and by start-up validation.</summary>
internal sealed class FallbackProviderOptionsValidator : IValidateOptions<FallbackProviderOptions>
{
    /// <summary>The shared instance.</summary>
    public static readonly FallbackProviderOptionsValidator Instance = new();

    public ValidateOptionsResult Validate(string? name, FallbackProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> failures = [];
        if (options.WarningInterval < TimeSpan.Zero)
        {
            failures.Add($"{nameof(FallbackProviderOptions.WarningInterval)} must not be negative.");
        }

        if (options.MaxStreamBytes <= 0 || options.MaxStreamBytes >= Array.MaxLength)
        {
            failures.Add($"{nameof(FallbackProviderOptions.MaxStreamBytes)} must be between 1 and {Array.MaxLength - 1}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every invalid setting.</summary>
    public static void ThrowIfInvalid(FallbackProviderOptions options, string paramName)
    {
        ValidateOptionsResult result = Instance.Validate(null, options);
        if (result.Failed)
        {
            throw new ArgumentException("Invalid fallback provider options: " + result.FailureMessage, paramName);
        }
    }
}
