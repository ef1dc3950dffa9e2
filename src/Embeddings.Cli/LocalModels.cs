using Embeddings.Local;
using Embeddings.Models;
using Microsoft.Extensions.Logging;

namespace Embeddings.Cli;

/// <summary>Loads a local model named on the command line (a folder, or a hub id through the hub cache).</summary>
internal static class LocalModels
{
    public static async Task<LocalOnnxProvider> LoadAsync(
        string model, LocalOnnxProviderOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        CheckModelName(model);
        return await LocalOnnxProvider.CreateAsync(model, options, loggerFactory, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Refuses, as a usage error, a model that is neither an existing folder nor a hub id.</summary>
    public static void CheckModelName(string model)
    {
        if (!Directory.Exists(model) && !(model.Contains('/', StringComparison.Ordinal) && HubPaths.IsRepoId(model)))
        {
            throw new CliUsageException(File.Exists(model)
                ? $"The model '{model}' is a file; give the model's folder (with config.json and onnx/)."
                : $"The model folder '{model}' does not exist (and it is not a hub id such as 'org/name').");
        }
    }

    /// <summary>The model's description (its files and configuration) without loading any graph.</summary>
    public static async Task<ModelDescription> DescribeAsync(string model, LocalOnnxProviderOptions options, CancellationToken cancellationToken)
    {
        CheckModelName(model);
        var resolver = new ModelResolver();
        return await resolver.ResolveAsync(model, options.ModelSource, false, cancellationToken).ConfigureAwait(false);
    }
}
