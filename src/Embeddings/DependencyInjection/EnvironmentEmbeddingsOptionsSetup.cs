using System.Globalization;
using Embeddings.Remote;
using Microsoft.Extensions.Options;
using static Embeddings.DependencyInjection.EmbeddingsEnvironmentVariables;

namespace Embeddings.DependencyInjection;

/// <summary>
/// Sets the defaults of <see cref="EmbeddingsOptions"/> from the environment variables of the Python deployment. It
/// runs before the configuration section and the caller's delegate, so both win over it. A malformed value is not
/// applied; it is recorded and fails start-up validation with a message naming the variable.
/// </summary>
internal sealed class EnvironmentEmbeddingsOptionsSetup(EmbeddingsEnvironment environment) : IConfigureOptions<EmbeddingsOptions>
{
    // Values are echoed in messages only for settings that cannot hold a secret, and only this much of them.
    private const int MaxEchoedLength = 40;

    public void Configure(EmbeddingsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> errors = options.EnvironmentErrors;

        if (environment.Get(VisualMode) is { } mode)
        {
            if (string.Equals(mode, "local", StringComparison.OrdinalIgnoreCase))
            {
                options.Visual.Mode = VisualEmbeddingMode.Local;
            }
            else if (string.Equals(mode, "remote", StringComparison.OrdinalIgnoreCase))
            {
                options.Visual.Mode = VisualEmbeddingMode.Remote;
            }
            else
            {
                errors.Add($"The environment variable {VisualMode} must be 'local' or 'remote' (any case), not '{Echo(mode)}' ({VisualModeKey}).");
            }
        }

        if (environment.Get(VisualEnabled) is { } enabled)
        {
            if (TryParseBool(enabled, out bool value))
            {
                options.Visual.Enabled = value;
            }
            else
            {
                errors.Add($"The environment variable {VisualEnabled} must be true or false, not '{Echo(enabled)}' ({VisualEnabledKey}).");
            }
        }

        options.Visual.Model = environment.Get(VisualModel) ?? options.Visual.Model;
        options.Text.Model = environment.Get(TextModel) ?? options.Text.Model;
        ConfigureRemote(options.Remote, errors);
    }

    private static bool TryParseBool(string value, out bool result)
    {
        switch (value.ToUpperInvariant())
        {
            case "TRUE" or "1" or "YES" or "ON":
                result = true;
                return true;
            case "FALSE" or "0" or "NO" or "OFF":
                result = false;
                return true;
            default:
                result = false;
                return false;
        }
    }

    private static string Echo(string value) => value.Length <= MaxEchoedLength ? value : value[..MaxEchoedLength] + "…";

    private void ConfigureRemote(HuggingFaceProviderOptions remote, List<string> errors)
    {
        // The key is never echoed, whatever goes wrong.
        remote.ApiKey = environment.Get(ApiKey) ?? environment.Get(HfToken) ?? remote.ApiKey;
        remote.ModelId = environment.Get(RemoteModel) ?? remote.ModelId;

        if (environment.Get(ApiUrl) is { } url)
        {
            if (Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
            {
                remote.BaseUrl = uri;
            }
            else
            {
                // A URL may carry credentials (user info, a query token): not echoed.
                errors.Add($"The environment variable {ApiUrl} must be an absolute http:// or https:// URL ({ApiUrlKey}).");
            }
        }

        if (ReadInt(BatchSize, BatchSizeKey, 1, HuggingFaceProviderDefaults.MaxBatchSize, errors) is { } batchSize)
        {
            remote.BatchSize = batchSize;
        }

        if (ReadInt(MaxRetries, MaxRetriesKey, 0, HuggingFaceProviderDefaults.MaxRetriesLimit, errors) is { } retries)
        {
            remote.MaxRetries = retries;
        }

        if (environment.Get(RemoteTimeout) is { } timeout)
        {
            double maxSeconds = TimeSpan.Parse(HuggingFaceProviderDefaults.MaxDuration, CultureInfo.InvariantCulture).TotalSeconds;
            if (double.TryParse(timeout, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds)
                && double.IsFinite(seconds) && seconds >= 0.001 && seconds <= maxSeconds)
            {
                remote.Timeout = TimeSpan.FromSeconds(seconds);
            }
            else
            {
                errors.Add($"The environment variable {RemoteTimeout} must be a number of seconds from 0.001 to {maxSeconds:0}, not '{Echo(timeout)}' ({TimeoutKey}).");
            }
        }
    }

    private int? ReadInt(string variable, string key, int min, int max, List<string> errors)
    {
        if (environment.Get(variable) is not { } text)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max)
        {
            return value;
        }

        errors.Add($"The environment variable {variable} must be a whole number from {min} to {max}, not '{Echo(text)}' ({key}).");
        return null;
    }
}
