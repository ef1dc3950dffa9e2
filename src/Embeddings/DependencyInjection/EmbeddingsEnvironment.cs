using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Embeddings.DependencyInjection;

/// <summary>
/// Where the environment variables are read from: the application's root <see cref="IConfiguration"/> when the
/// container has one (a host's configuration holds the process environment), else the process environment. Values are
/// trimmed; an empty value counts as unset (a deployment that writes unset secrets as empty strings).
/// </summary>
internal sealed class EmbeddingsEnvironment
{
    private readonly Func<string, string?> _read;

    public EmbeddingsEnvironment(Func<string, string?> read)
    {
        _read = read;
    }

    /// <summary>Gets the environment of an application's services.</summary>
    public static EmbeddingsEnvironment From(IServiceProvider services) =>
        services.GetService<IConfiguration>() is { } configuration
            ? new EmbeddingsEnvironment(name => configuration[name])
            : new EmbeddingsEnvironment(Environment.GetEnvironmentVariable);

    /// <summary>Gets a variable's trimmed value, or <see langword="null"/> when it is unset or blank.</summary>
    public string? Get(string name) => _read(name) is { } value && value.Trim() is { Length: > 0 } trimmed ? trimmed : null;
}
