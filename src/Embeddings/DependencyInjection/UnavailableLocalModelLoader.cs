namespace Embeddings.DependencyInjection;

/// <summary>Stands in until the local ONNX provider is part of the library.</summary>
internal sealed class UnavailableLocalModelLoader : ILocalModelLoader
{
    public Task<IEmbeddingProvider> LoadAsync(LocalModelRequest request, CancellationToken cancellationToken) =>
        Task.FromException<IEmbeddingProvider>(new EmbeddingModelException(request.Model, "Local models cannot be loaded by this build."));
}
