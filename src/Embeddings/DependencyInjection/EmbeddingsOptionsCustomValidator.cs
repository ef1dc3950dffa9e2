using Embeddings.Composition;
using Embeddings.Local;
using Embeddings.Remote;
using Microsoft.Extensions.Options;
using static Embeddings.DependencyInjection.EmbeddingsEnvironmentVariables;

namespace Embeddings.DependencyInjection;

/// <summary>
/// Checks what the DataAnnotations cannot: the environment variables' values, the nested provider options (with the
/// providers' own validators, messages prefixed with their configuration section), and that a remote visual model and
/// its local fallback produce comparable vectors.
/// </summary>
internal sealed class EmbeddingsOptionsCustomValidator : IValidateOptions<EmbeddingsOptions>
{
    public ValidateOptionsResult Validate(string? name, EmbeddingsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        foreach (string error in options.EnvironmentErrors)
        {
            builder.AddError(error);
        }

        if (options.Visual is null || options.Text is null || options.Remote is null || options.Fallback is null || options.Local is null)
        {
            return builder.Build(); // reported by the DataAnnotations validator
        }

        if (!Enum.IsDefined(options.Visual.Mode))
        {
            builder.AddError($"{VisualModeKey} must be Local or Remote, not {(int)options.Visual.Mode}.");
        }

        if (!Enum.IsDefined(options.ModelLoading))
        {
            builder.AddError($"Embeddings:ModelLoading must be OnFirstUse, AtStartup or BeforeStartup, not {(int)options.ModelLoading}.");
        }

        if (options.Visual.Enabled && string.IsNullOrWhiteSpace(options.Visual.Model))
        {
            builder.AddError($"{VisualModelKey} ({VisualModel}) must name the visual model: a hub id or a model folder.");
        }

        if (options.Text.Enabled && string.IsNullOrWhiteSpace(options.Text.Model))
        {
            builder.AddError($"{TextModelKey} ({TextModel}) must name the text model: a hub id or a model folder.");
        }

        CheckFolder(builder, options.Visual.Enabled, options.Visual.Model, VisualModelKey, VisualModel);
        CheckFolder(builder, options.Text.Enabled, options.Text.Model, TextModelKey, TextModel);
        if (options.Visual.Enabled || options.Text.Enabled)
        {
            Add(builder, "Embeddings:Local", new LocalOnnxProviderOptionsValidator().Validate(name, options.Local));
            if (options.Local.Modalities is not null)
            {
                builder.AddError(
                    "Embeddings:Local:Modalities is set per model by AddEmbeddings (the visual model loads every side it has, "
                    + "the text model its text side): remove it, or create a LocalOnnxProvider yourself to load one side.");
            }
        }

        EmbeddingsPlan plan = EmbeddingsPlan.For(options);
        if (options.Visual.Enabled)
        {
            Add(builder, "Embeddings:Remote", new HuggingFaceProviderOptionsValidator().Validate(name, plan.Remote));
        }

        if (plan.RemoteActive)
        {
            // Cross-field rules (an API key over plain http, ...) matter only when the remote client is built.
            Add(builder, "Embeddings:Remote", new HuggingFaceProviderOptionsCustomValidator().Validate(name, plan.Remote));
            if (plan.RemoteModelDefaulted && IsLocalPath(options.Visual.Model))
            {
                builder.AddError(
                    $"The visual model is a local folder ({VisualModelKey}, {VisualModel}), which the remote service cannot load: "
                    + $"name the remote model with {RemoteModelKey} ({RemoteModel}), and declare the two compatible with "
                    + $"{AssumeCompatibleKey}=true if the folder holds that model's weights.");
            }
            else if (!plan.SameVisualModel && !options.Fallback.AssumeCompatible)
            {
                builder.AddError(
                    $"The remote visual model '{plan.Remote.ModelId}' ({RemoteModelKey}, {RemoteModel}) is not the local model "
                    + $"'{options.Visual.Model}' ({VisualModelKey}, {VisualModel}), which serves when the remote service fails. "
                    + "Vectors from different models are not comparable: falling back would silently mix two embedding spaces. "
                    + "Name the same model in both, or, if both produce the same vectors under different names (the same weights "
                    + $"exported to an ONNX folder), declare it deliberately with {AssumeCompatibleKey}=true.");
            }
        }

        Add(builder, "Embeddings:Fallback", FallbackProviderOptionsValidator.Instance.Validate(name, options.Fallback));
        if (options.Cache is { } cache)
        {
            Add(builder, "Embeddings:Cache", EmbeddingCacheOptionsValidator.Instance.Validate(name, cache));
        }

        return builder.Build();
    }

    /// <summary>Whether a model setting names a folder rather than a hub id (<c>name</c> or <c>owner/name</c>).</summary>
    private static bool IsLocalPath(string? model) =>
        model is not null && (Path.IsPathRooted(model) || model.StartsWith('.') || model.Contains('\\', StringComparison.Ordinal)
            || model.Count(c => c == '/') > 1 || Directory.Exists(model));

    private static void CheckFolder(ValidateOptionsResultBuilder builder, bool enabled, string? model, string key, string variable)
    {
        // A missing folder would otherwise be taken for a hub id and fail only when the model loads.
        if (enabled && !string.IsNullOrWhiteSpace(model) && IsLocalPath(model) && !Directory.Exists(model))
        {
            builder.AddError($"The model folder '{model}' set by {variable} ({key}) does not exist.");
        }
    }

    private static void Add(ValidateOptionsResultBuilder builder, string section, ValidateOptionsResult result)
    {
        if (result.Failed)
        {
            foreach (string failure in result.Failures ?? [result.FailureMessage])
            {
                builder.AddError($"{section}: {failure}");
            }
        }
    }
}
