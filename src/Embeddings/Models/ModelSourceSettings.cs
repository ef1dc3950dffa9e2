namespace Embeddings.Models;

/// <summary>The effective <see cref="ModelSourceOptions"/>: explicit values, else the environment, else defaults.</summary>
internal sealed class ModelSourceSettings
{
    /// <summary>The hub endpoint used when neither the options nor <c>HF_ENDPOINT</c> name one.</summary>
    public static readonly Uri DefaultEndpoint = new("https://huggingface.co");

    /// <summary>The revision used when none is given.</summary>
    public const string DefaultRevision = "main";

    private ModelSourceSettings(string cacheDirectory, Uri endpoint, string? token, bool offline, string revision, ModelVariant variant)
    {
        CacheDirectory = cacheDirectory;
        Endpoint = endpoint;
        Token = token;
        Offline = offline;
        Revision = revision;
        Variant = variant;
    }

    public string CacheDirectory { get; }

    public Uri Endpoint { get; }

    /// <summary>Gets the token. Never log it or put it in a message.</summary>
    public string? Token { get; }

    public bool Offline { get; }

    public string Revision { get; }

    public ModelVariant Variant { get; }

    /// <summary>Reads the process environment.</summary>
    public static ModelSourceSettings Resolve(ModelSourceOptions? options) => Resolve(options, Environment.GetEnvironmentVariable);

    /// <summary>Combines the options with an environment (a lookup, so tests need not change the process's).</summary>
    /// <exception cref="ArgumentException">An explicit or environment value is malformed.</exception>
    public static ModelSourceSettings Resolve(ModelSourceOptions? options, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        options ??= new ModelSourceOptions();

        string? Env(string name) => environment(name) is { Length: > 0 } value ? value : null;

        string home = Env("HF_HOME") ?? Path.Combine(UserHome(), ".cache", "huggingface");
        string cache = options.CacheDirectory
            ?? Env("HF_HUB_CACHE") ?? Env("HUGGINGFACE_HUB_CACHE") ?? Path.Combine(home, "hub");

        Uri endpoint = options.Endpoint ?? (Env("HF_ENDPOINT") is { } e ? ParseEndpoint(e) : DefaultEndpoint);
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException("The hub endpoint must be an absolute http or https URL.", nameof(options));
        }

        string? token = options.Token ?? Env("HF_TOKEN") ?? Env("HUGGINGFACE_API_KEY")
            ?? ReadTokenFile(Env("HF_TOKEN_PATH") ?? Path.Combine(home, "token"));

        bool offline = options.Offline ?? (IsTrue(Env("HF_HUB_OFFLINE")) || IsTrue(Env("TRANSFORMERS_OFFLINE")));

        string revision = options.Revision ?? DefaultRevision;
        HubPaths.ValidateRevision(revision);

        return new ModelSourceSettings(Path.GetFullPath(ExpandHome(cache)), endpoint, token, offline, revision, options.Variant);
    }

    private static Uri ParseEndpoint(string value) =>
        Uri.TryCreate(value.TrimEnd('/'), UriKind.Absolute, out Uri? uri)
            ? uri
            : throw new ArgumentException("HF_ENDPOINT is not an absolute URL.");

    // huggingface_hub reads these spellings as true.
    private static bool IsTrue(string? value) =>
        value is not null && value.Trim().ToUpperInvariant() is "1" or "TRUE" or "YES" or "ON";

    private static string? ReadTokenFile(string path)
    {
        try
        {
            return File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } token ? token : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // An unreadable token file means "no token", as in the Python tools.
            return null;
        }
    }

    private static string UserHome() => Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    private static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal) ? UserHome() + path[1..] : path;
}
