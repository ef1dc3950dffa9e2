using Embeddings.AspNetCore;
using Embeddings.Remote.Wire;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the embedding endpoints in an ASP.NET Core application.</summary>
public static class EmbeddingsEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves the registered <see cref="Embeddings.IEmbeddingProvider"/> over HTTP. Texts go to the provider keyed
    /// <c>EmbeddingsServiceKeys.Text</c>, images to the one keyed <c>EmbeddingsServiceKeys.Image</c>, either falling
    /// back to the unkeyed provider.
    /// </summary>
    /// <param name="endpoints">The application, or a route group (its prefix applies to every route).</param>
    /// <param name="configure">Adjusts the options, after those bound through
    /// <c>services.Configure&lt;EmbeddingsEndpointOptions&gt;(...)</c>.</param>
    /// <returns>A builder that adds conventions (<c>RequireAuthorization()</c>, <c>RequireRateLimiting(...)</c>, ...)
    /// to the embedding endpoints, but not to the health endpoints.</returns>
    /// <remarks>
    /// <para>Routes (see the package README for every body shape):</para>
    /// <list type="bullet">
    /// <item><c>POST /predict</c>: the LitServe server's contract. <c>{"query": "text"}</c> or a bare JSON string answers
    /// one flat array; <c>{"query": [...]}</c> or a bare JSON list answers a list of arrays. The model's <c>query</c>
    /// prompt applies unless <c>"prompt_name"</c> names another (<c>""</c> for none).</item>
    /// <item><c>POST /embed</c>: TEI's contract (<c>inputs</c>, <c>prompt_name</c>, <c>dimensions</c>,
    /// <c>normalize</c>, <c>truncate</c>), answering a list of arrays.</item>
    /// <item><c>POST /v1/embeddings</c> and <c>POST /embeddings</c>: OpenAI's contract (<c>input</c>, <c>model</c>,
    /// <c>encoding_format</c> <c>float</c> or <c>base64</c>, <c>dimensions</c>); <c>data:image/…;base64,</c> inputs
    /// are images.</item>
    /// <item><c>POST /embed_image</c>: images as multipart files, a raw <c>image/*</c> body, or
    /// <c>{"inputs": [base64, …]}</c>; answers a list of arrays.</item>
    /// <item><c>GET /info</c>: the served models, prompts and limits.</item>
    /// <item><c>GET /health</c> (liveness, always 200) and <c>GET /health/ready</c> (readiness: 503 until the
    /// providers are resolved and warmed up, and while stopping). Neither needs the token.</item>
    /// </list>
    /// <para>Every embedding route needs <c>Authorization: Bearer &lt;token&gt;</c> with the token from
    /// <see cref="EmbeddingsEndpointOptions.AuthToken"/> or the <c>auth_token</c> environment variable; without one
    /// this method throws unless <see cref="EmbeddingsEndpointOptions.AllowAnonymous"/> is set. Concurrent requests
    /// are merged into shared provider calls; a full queue answers 429 with <c>Retry-After</c>.</para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="InvalidOperationException">No provider is registered, or no token is configured and anonymous
    /// access is not allowed.</exception>
    public static EmbeddingsEndpointConventionBuilder MapEmbeddings(this IEndpointRouteBuilder endpoints, Action<EmbeddingsEndpointOptions>? configure = null) =>
        MapEmbeddings(endpoints, configure, Environment.GetEnvironmentVariable(EmbeddingsEndpointOptions.AuthTokenEnvironmentVariable));

    /// <summary>Maps the endpoints with the given value standing for the <c>auth_token</c> environment variable.</summary>
    internal static EmbeddingsEndpointConventionBuilder MapEmbeddings(
        this IEndpointRouteBuilder endpoints, Action<EmbeddingsEndpointOptions>? configure, string? environmentToken)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        IServiceProvider services = endpoints.ServiceProvider;
        EmbeddingsEndpointOptions options = (services.GetService<IOptions<EmbeddingsEndpointOptions>>()?.Value ?? new EmbeddingsEndpointOptions()).Clone();
        configure?.Invoke(options);

        var server = EmbeddingsServer.Create(services, options, environmentToken);
        if (services.GetService<IHostApplicationLifetime>() is { } lifetime)
        {
            lifetime.ApplicationStarted.Register(server.Start);
            lifetime.ApplicationStopping.Register(server.OnStopping);
            lifetime.ApplicationStopped.Register(server.OnStopped);
        }

        string[] getOrHead = [HttpMethods.Get, HttpMethods.Head];
        endpoints.MapMethods("/health", getOrHead, EmbeddingsServer.LivenessAsync).WithDisplayName("Embeddings liveness");
        endpoints.MapMethods("/health/ready", getOrHead, server.ReadinessAsync).WithDisplayName("Embeddings readiness");

        // The routes the remote client (HuggingFaceProvider) calls come from the definitions both ends share.
        RouteGroupBuilder group = endpoints.MapGroup(string.Empty);
        group.MapPost("/" + RemoteRoutes.Predict, context => server.ServeAsync(context, EmbeddingRoute.Predict)).WithDisplayName("Embeddings predict");
        group.MapPost("/" + RemoteRoutes.Embed, context => server.ServeAsync(context, EmbeddingRoute.Embed)).WithDisplayName("Embeddings embed (TEI)");
        group.MapPost("/" + RemoteRoutes.OpenAIEmbeddings, context => server.ServeAsync(context, EmbeddingRoute.OpenAI)).WithDisplayName("Embeddings v1/embeddings (OpenAI)");
        group.MapPost("/embeddings", context => server.ServeAsync(context, EmbeddingRoute.OpenAI)).WithDisplayName("Embeddings embeddings (OpenAI)");
        group.MapPost("/" + RemoteRoutes.EmbedImage, context => server.ServeAsync(context, EmbeddingRoute.Image)).WithDisplayName("Embeddings embed_image");
        group.MapGet("/info", server.InfoAsync).WithDisplayName("Embeddings info");
        return new EmbeddingsEndpointConventionBuilder(group);
    }
}
