namespace Embeddings.DependencyInjection;

/// <summary>What <see cref="ILocalModelLoader"/> is asked to load.</summary>
/// <param name="Role">What the model is for: <see cref="EmbeddingsServiceKeys.Text"/> or <see cref="EmbeddingsServiceKeys.Image"/>.</param>
/// <param name="Model">A hub id or a model folder.</param>
/// <param name="Options">The options in force.</param>
internal sealed record LocalModelRequest(string Role, string Model, EmbeddingsOptions Options);
