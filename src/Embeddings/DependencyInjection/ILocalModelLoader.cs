namespace Embeddings.DependencyInjection;

/// <summary>Loads a local model for <c>AddEmbeddings()</c>. The default loads ONNX models with the local provider; a
/// replacement registered before the host starts is used instead (tests).</summary>
internal interface ILocalModelLoader
{
    /// <summary>Loads a model.</summary>
    /// <param name="request">Which model, for what, with which options.</param>
    /// <param name="cancellationToken">Cancels the load (the application is stopping).</param>
    /// <returns>The provider; the caller owns it.</returns>
    Task<IEmbeddingProvider> LoadAsync(LocalModelRequest request, CancellationToken cancellationToken);
}
