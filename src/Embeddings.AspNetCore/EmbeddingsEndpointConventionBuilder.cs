using Microsoft.AspNetCore.Builder;

namespace Embeddings.AspNetCore;

/// <summary>
/// Adds conventions (authorization, rate limiting, CORS, metadata) to the embedding endpoints that
/// <c>MapEmbeddings()</c> maps: <c>/predict</c>, <c>/embed</c>, <c>/v1/embeddings</c>, <c>/embeddings</c>,
/// <c>/embed_image</c> and <c>/info</c>. The health endpoints (<c>/health</c>, <c>/health/ready</c>) are left out,
/// so that probes never need credentials.
/// </summary>
public sealed class EmbeddingsEndpointConventionBuilder : IEndpointConventionBuilder
{
    private readonly IEndpointConventionBuilder _embeddingEndpoints;

    internal EmbeddingsEndpointConventionBuilder(IEndpointConventionBuilder embeddingEndpoints)
    {
        _embeddingEndpoints = embeddingEndpoints;
    }

    /// <summary>Adds a convention to every embedding endpoint.</summary>
    /// <param name="convention">The convention.</param>
    public void Add(Action<EndpointBuilder> convention)
    {
        ArgumentNullException.ThrowIfNull(convention);
        _embeddingEndpoints.Add(convention);
    }

    /// <summary>Adds a convention applied to every embedding endpoint after all others.</summary>
    /// <param name="finallyConvention">The convention.</param>
    public void Finally(Action<EndpointBuilder> finallyConvention)
    {
        ArgumentNullException.ThrowIfNull(finallyConvention);
        _embeddingEndpoints.Finally(finallyConvention);
    }
}
