using Microsoft.Extensions.Options;

namespace Embeddings.Remote;

/// <summary>Checks the rules of <see cref="HuggingFaceProviderOptions"/> that span several properties.</summary>
internal sealed class HuggingFaceProviderOptionsCustomValidator : IValidateOptions<HuggingFaceProviderOptions>
{
    public ValidateOptionsResult Validate(string? name, HuggingFaceProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        if (options.BaseUrl is null || string.IsNullOrWhiteSpace(options.ModelId))
        {
            return builder.Build(); // reported by the DataAnnotations validator
        }

        RemoteEndpoints? endpoints = null;
        try
        {
            endpoints = RemoteEndpoints.Resolve(options.BaseUrl, options.ModelId, options.Protocol);
        }
        catch (ArgumentException ex)
        {
            builder.AddError(ex.Message.Split(" (Parameter", 2)[0], ex.ParamName);
        }

        if (endpoints is not null && !string.IsNullOrEmpty(options.ApiKey) && !options.AllowApiKeyOverHttp)
        {
            foreach (Uri uri in endpoints.All)
            {
                if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
                {
                    builder.AddError(
                        $"The API key would be sent in clear text over http:// to '{uri.Authority}'. Use https://, or set "
                        + $"{nameof(HuggingFaceProviderOptions.AllowApiKeyOverHttp)} for a network you trust.",
                        nameof(HuggingFaceProviderOptions.ApiKey));
                    break;
                }
            }
        }

        if (options.Modalities is { } modalities)
        {
            EmbeddingModalities supported = RemoteEndpoints.SupportedModalities(options.Protocol);
            if (modalities == EmbeddingModalities.None)
            {
                builder.AddError("At least one modality must be enabled.", nameof(HuggingFaceProviderOptions.Modalities));
            }
            else if ((modalities & ~supported) != 0)
            {
                builder.AddError(
                    $"The {options.Protocol} protocol carries only {supported}, not {modalities & ~supported}.",
                    nameof(HuggingFaceProviderOptions.Modalities));
            }
        }

        if (options.PricePerInput is not null && options.PricePer1KTokens is not null)
        {
            builder.AddError(
                $"Set {nameof(HuggingFaceProviderOptions.PricePerInput)} or {nameof(HuggingFaceProviderOptions.PricePer1KTokens)}, not both.",
                nameof(HuggingFaceProviderOptions.PricePerInput));
        }

        if (options.MaxRetryDelay < options.RetryDelay)
        {
            builder.AddError(
                $"{nameof(HuggingFaceProviderOptions.MaxRetryDelay)} must not be shorter than {nameof(HuggingFaceProviderOptions.RetryDelay)}.",
                nameof(HuggingFaceProviderOptions.MaxRetryDelay));
        }

        return builder.Build();
    }
}
