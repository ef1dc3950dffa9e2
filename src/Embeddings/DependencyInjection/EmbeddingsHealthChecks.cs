using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Embeddings.DependencyInjection;

/// <summary>Adds the health checks of the providers <c>AddEmbeddings()</c> builds.</summary>
internal static class EmbeddingsHealthChecks
{
    /// <summary>The tags of the checks added automatically.</summary>
    public static readonly string[] DefaultTags = ["embeddings"];

    /// <summary>Adds a check per enabled provider, unless one of that name is registered already.</summary>
    public static void Add(HealthCheckServiceOptions health, EmbeddingsOptions options, IEnumerable<string> tags)
    {
        if (options.Visual?.Enabled == true)
        {
            AddCheck(health, EmbeddingsServiceKeys.Image, tags);
        }

        if (options.Text?.Enabled == true)
        {
            AddCheck(health, EmbeddingsServiceKeys.Text, tags);
        }
    }

    private static void AddCheck(HealthCheckServiceOptions health, string key, IEnumerable<string> tags)
    {
        string name = EmbeddingsHealthCheck.NameFor(key);
        if (health.Registrations.Any(r => r.Name == name))
        {
            return;
        }

        health.Registrations.Add(new HealthCheckRegistration(
            name,
            sp => new EmbeddingsHealthCheck(sp.GetRequiredService<EmbeddingsProviders>(), key),
            failureStatus: null,
            tags));
    }
}
