using Embeddings.Remote;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Embeddings.DependencyInjection;

/// <summary>
/// The health of one provider <c>AddEmbeddings()</c> built, read without making a call: whether its local model is
/// loaded (or loads on first use), and in remote mode the remote circuit's state.
/// </summary>
/// <remarks>
/// Healthy: everything serves (a model loading on first use counts). Degraded: the provider serves, but not as
/// configured: the remote circuit is open or probing (the local model serves meanwhile), or the remote service serves
/// while the local fallback is loading or failed to load. Unhealthy: nothing can serve: the local model is loading
/// (when it loads at start-up) or failed, and there is no remote service or its circuit is open.
/// </remarks>
internal sealed class EmbeddingsHealthCheck(EmbeddingsProviders providers, string key) : IHealthCheck
{
    public const string ImageCheckName = "embeddings-image";
    public const string TextCheckName = "embeddings-text";

    public static string NameFor(string key) => key == EmbeddingsServiceKeys.Image ? ImageCheckName : TextCheckName;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (providers.For(key) is not { } role)
        {
            return Task.FromResult(HealthCheckResult.Healthy($"The {key} provider is disabled."));
        }

        LazyEmbeddingProvider local = role.Local;
        ModelLoadState state = local.State;
        bool eager = providers.Plan.Options.ModelLoading != EmbeddingModelLoading.OnFirstUse;
        bool localServes = state == ModelLoadState.Loaded || (state == ModelLoadState.NotLoaded && !eager);
        string localText = state switch
        {
            ModelLoadState.Loaded => $"the local model {local.Metadata.ModelId} is loaded",
            ModelLoadState.NotLoaded when !eager => $"the local model {local.ModelId} loads on first use",
            ModelLoadState.NotLoaded or ModelLoadState.Loading => $"the local model {local.ModelId} is loading",
            _ => $"the local model {local.ModelId} failed to load ({local.LastError?.GetType().Name})",
        };

        var data = new Dictionary<string, object>
        {
            ["mode"] = role.Remote is null ? "local" : "remote",
            ["model"] = role.Provider.Metadata.ModelId,
            ["dimensions"] = role.Provider.Metadata.Dimensions,
            ["local_state"] = state.ToString(),
            ["local_load_attempts"] = local.LoadAttempts,
        };
        Exception? error = state == ModelLoadState.Failed ? local.LastError : null;

        if (role.Remote is not { } remote)
        {
            return Task.FromResult(localServes
                ? HealthCheckResult.Healthy(Capitalize(localText) + ".", data)
                : HealthCheckResult.Unhealthy(Capitalize(localText) + ".", error, data));
        }

        RemoteCircuitState circuit = remote.CircuitState;
        data["circuit_state"] = circuit.ToString();
        data["remote_url"] = remote.Metadata.ProviderUri?.ToString() ?? string.Empty;
        string remoteText = circuit switch
        {
            RemoteCircuitState.Closed => "the remote service answers (circuit closed)",
            RemoteCircuitState.HalfOpen => "the remote service failed recently; the next call probes it (circuit half-open)",
            _ => "the remote service is failing (circuit open)",
        };
        string description = $"{Capitalize(remoteText)}; {localText}.";
        HealthCheckResult result = (circuit == RemoteCircuitState.Closed, localServes) switch
        {
            (true, true) => HealthCheckResult.Healthy(description, data),
            (true, false) or (false, true) => HealthCheckResult.Degraded(description, error, data),
            _ => HealthCheckResult.Unhealthy(description, error, data),
        };
        return Task.FromResult(result);
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
