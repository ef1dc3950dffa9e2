namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Returned by <c>AddEmbeddings()</c>, to chain further registrations: <c>.AddCache()</c>,
/// <c>.AddUsageObserver&lt;T&gt;()</c>.
/// </summary>
public interface IEmbeddingsBuilder
{
    /// <summary>Gets the services the providers are registered in.</summary>
    IServiceCollection Services { get; }

    /// <summary>Gets the name of the <see cref="Embeddings.DependencyInjection.EmbeddingsOptions"/> instance the
    /// providers are built from (<see cref="Options.Options.DefaultName"/>).</summary>
    string Name { get; }
}
