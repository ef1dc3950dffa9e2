using Microsoft.Extensions.DependencyInjection;

namespace Embeddings.DependencyInjection;

/// <summary>The <see cref="IEmbeddingsBuilder"/> <c>AddEmbeddings()</c> returns.</summary>
internal sealed record EmbeddingsBuilder(IServiceCollection Services, string Name) : IEmbeddingsBuilder;
