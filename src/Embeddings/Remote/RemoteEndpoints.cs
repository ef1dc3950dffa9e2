using Embeddings.Remote.Wire;

namespace Embeddings.Remote;

/// <summary>The request URIs a configuration resolves to, per modality.</summary>
internal sealed class RemoteEndpoints
{
    private RemoteEndpoints(Uri textUri, Uri? imageUri, bool legacyHostMapped)
    {
        TextUri = textUri;
        ImageUri = imageUri;
        LegacyHostMapped = legacyHostMapped;
        DisplayName = Display(textUri);
    }

    /// <summary>Gets the URI text batches are posted to.</summary>
    public Uri TextUri { get; }

    /// <summary>Gets the URI image batches are posted to, or <see langword="null"/> when the protocol carries no images.</summary>
    public Uri? ImageUri { get; }

    /// <summary>Gets a value indicating whether the legacy api-inference host was replaced by the router.</summary>
    public bool LegacyHostMapped { get; }

    /// <summary>Gets the endpoint as logs and errors show it: scheme, host, port and path, never user info or query.</summary>
    public string DisplayName { get; }

    /// <summary>Gets every URI requests may go to.</summary>
    public IEnumerable<Uri> All => ImageUri is null || ImageUri == TextUri ? [TextUri] : [TextUri, ImageUri];

    /// <summary>Resolves the URIs of a configuration.</summary>
    /// <param name="baseUrl">The base URL.</param>
    /// <param name="modelId">The model id.</param>
    /// <param name="protocol">The protocol.</param>
    /// <returns>The endpoints.</returns>
    /// <exception cref="ArgumentException">The base URL is not an absolute http(s) URL.</exception>
    public static RemoteEndpoints Resolve(Uri baseUrl, string modelId, RemoteProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentException.ThrowIfNullOrEmpty(modelId);
        EnsureHttp(baseUrl, nameof(HuggingFaceProviderOptions.BaseUrl));

        switch (protocol)
        {
            case RemoteProtocol.HuggingFaceInference:
                if (IsAbsoluteHttpUrl(modelId, out Uri? direct))
                {
                    return new RemoteEndpoints(direct, null, false);
                }

                bool legacy = string.Equals(baseUrl.Host, HuggingFaceProviderDefaults.LegacyInferenceHost, StringComparison.OrdinalIgnoreCase);
                Uri root = legacy ? new Uri(HuggingFaceProviderDefaults.RouterUrl) : baseUrl;
                string path = string.Format(System.Globalization.CultureInfo.InvariantCulture, RemoteRoutes.FeatureExtractionPathFormat, EscapeModelId(modelId));
                string rootPath = root.AbsolutePath.TrimEnd('/');
                bool hasProviderSegment = rootPath.EndsWith("/" + RemoteRoutes.HfInferenceSegment, StringComparison.OrdinalIgnoreCase);
                return new RemoteEndpoints(Combine(root, hasProviderSegment ? path : $"{RemoteRoutes.HfInferenceSegment}/{path}"), null, legacy);

            case RemoteProtocol.InferenceEndpoint:
                return new RemoteEndpoints(baseUrl, baseUrl, false);

            case RemoteProtocol.TextEmbeddingsInference:
                return new RemoteEndpoints(Combine(baseUrl, RemoteRoutes.Embed), null, false);

            case RemoteProtocol.OpenAI:
                bool hasVersion = baseUrl.AbsolutePath.TrimEnd('/').EndsWith("/v1", StringComparison.OrdinalIgnoreCase);
                Uri openAI = Combine(baseUrl, hasVersion ? "embeddings" : RemoteRoutes.OpenAIEmbeddings);
                return new RemoteEndpoints(openAI, openAI, false);

            case RemoteProtocol.EmbeddingsServer:
                return new RemoteEndpoints(Combine(baseUrl, RemoteRoutes.Predict), Combine(baseUrl, RemoteRoutes.EmbedImage), false);

            default:
                throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "Unknown protocol.");
        }
    }

    /// <summary>The modalities a protocol can carry at all.</summary>
    /// <param name="protocol">The protocol.</param>
    /// <returns>The modalities.</returns>
    public static EmbeddingModalities SupportedModalities(RemoteProtocol protocol) => protocol switch
    {
        RemoteProtocol.InferenceEndpoint or RemoteProtocol.OpenAI or RemoteProtocol.EmbeddingsServer => EmbeddingModalities.Text | EmbeddingModalities.Image,
        _ => EmbeddingModalities.Text,
    };

    /// <summary>The modalities a protocol is assumed to serve when none are configured.</summary>
    /// <param name="protocol">The protocol.</param>
    /// <returns>The modalities.</returns>
    public static EmbeddingModalities DefaultModalities(RemoteProtocol protocol) => protocol switch
    {
        RemoteProtocol.InferenceEndpoint or RemoteProtocol.EmbeddingsServer => EmbeddingModalities.Text | EmbeddingModalities.Image,
        _ => EmbeddingModalities.Text,
    };

    /// <summary>Shows a URI without user info or query (which may hold credentials).</summary>
    /// <param name="uri">The URI.</param>
    /// <returns>Scheme, authority and path.</returns>
    public static string Display(Uri uri) => $"{uri.Scheme}://{uri.Authority}{uri.AbsolutePath}";

    private static bool IsAbsoluteHttpUrl(string value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Uri? uri)
    {
        uri = null;
        if (!value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !value.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out uri))
        {
            throw new ArgumentException("The model id looks like a URL but is not a valid absolute URL.", nameof(HuggingFaceProviderOptions.ModelId));
        }

        return true;
    }

    private static void EnsureHttp(Uri uri, string name)
    {
        if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"{name} must be an absolute http:// or https:// URL.", name);
        }
    }

    private static string EscapeModelId(string modelId) =>
        string.Join('/', modelId.Split('/').Select(Uri.EscapeDataString));

    private static Uri Combine(Uri baseUrl, string relative)
    {
        string b = Display(baseUrl);
        return new Uri(b.EndsWith('/') ? b + relative : b + "/" + relative);
    }
}
