using Embeddings.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the embedding providers' health checks to an application's health checks.</summary>
public static class EmbeddingsHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds the checks <c>embeddings-image</c> and <c>embeddings-text</c> (one per enabled provider) with the given
    /// tags. <c>AddEmbeddings()</c> adds them on its own, tagged <c>embeddings</c>, whenever the application registers
    /// health checks; call this to tag them otherwise (for example <c>ready</c>, for a readiness probe).
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="tags">The checks' tags; none for the default, <c>embeddings</c>.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    /// <remarks>
    /// Healthy: the provider serves as configured (a model that loads on first use counts). Degraded: it serves, but not
    /// as configured: the remote circuit is open or probing and the local model serves meanwhile, or the remote service
    /// serves while the local fallback loads or failed to load. Unhealthy: nothing can serve yet or any more: the local
    /// model is loading (when it loads at start-up) or failed to load, with no remote service in front of it or with
    /// its circuit open. Checks read state only; they make no call and load no model.
    /// </remarks>
    public static IHealthChecksBuilder AddEmbeddingsHealthChecks(this IHealthChecksBuilder builder, params string[] tags)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(tags);
        string[] chosen = tags.Length == 0 ? EmbeddingsHealthChecks.DefaultTags : [.. tags];
        builder.Services.AddOptions<HealthCheckServiceOptions>()
            .Configure<IOptions<EmbeddingsOptions>>((health, embeddings) => EmbeddingsHealthChecks.Add(health, embeddings.Value, chosen));
        return builder;
    }
}
