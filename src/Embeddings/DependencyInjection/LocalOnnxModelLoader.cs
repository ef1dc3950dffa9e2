using System.Diagnostics.Metrics;
using Embeddings.Local;
using Microsoft.Extensions.Logging;
using static Embeddings.DependencyInjection.EmbeddingsEnvironmentVariables;

namespace Embeddings.DependencyInjection;

/// <summary>
/// Loads the local models of <c>AddEmbeddings()</c> with <see cref="LocalOnnxProvider"/>, from a hub id (through the
/// hub cache) or a model folder, with <see cref="EmbeddingsOptions.Local"/>.
/// </summary>
/// <remarks>The visual model loads every side it has: the image key serves the texts that search images as well as the
/// images. The text model loads its text side only.</remarks>
internal sealed class LocalOnnxModelLoader(ILoggerFactory? loggerFactory, IMeterFactory? meterFactory) : ILocalModelLoader
{
    public async Task<IEmbeddingProvider> LoadAsync(LocalModelRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        LocalOnnxProviderOptions options = request.Options.Local.Clone();
        options.Modalities = ModalitiesFor(request.Role);
        try
        {
            return await LocalOnnxProvider.CreateAsync(request.Model, options, loggerFactory, meterFactory, cancellationToken).ConfigureAwait(false);
        }
        catch (EmbeddingModelException ex)
        {
            // The provider says what is wrong with the model; this says which setting named it.
            (string key, string variable) = request.Role == EmbeddingsServiceKeys.Image ? (VisualModelKey, VisualModel) : (TextModelKey, TextModel);
            throw new EmbeddingModelException(request.Model, $"The {request.Role} model set by {variable} ({key}) could not be loaded: {ex.Message}", ex);
        }
    }

    /// <summary>The sides a role loads: everything for the visual model, the text side for the text model.</summary>
    public static EmbeddingModalities? ModalitiesFor(string role) => role == EmbeddingsServiceKeys.Image ? null : EmbeddingModalities.Text;
}
