using Microsoft.Extensions.AI;

namespace Embeddings.TestSupport;

/// <summary>A callback-driven provider for tests of code built on <see cref="IEmbeddingProvider"/>.</summary>
internal sealed class TestEmbeddingProvider : IEmbeddingProvider
{
    private int _calls;

    public TestEmbeddingProvider(EmbeddingProviderMetadata? metadata = null)
    {
        Metadata = metadata ?? new EmbeddingProviderMetadata("test", "test-model", 4, EmbeddingModalities.Text | EmbeddingModalities.Image);
    }

    public EmbeddingProviderMetadata Metadata { get; }

    /// <summary>Gets or sets how one input is embedded; the default derives a vector from the input's description.</summary>
    public Func<EmbeddingInput, EmbeddingRequestOptions?, EmbeddingResult>? EmbedOne { get; set; }

    /// <summary>Gets or sets a hook run at the start of every call (to delay, block or throw).</summary>
    public Func<IReadOnlyList<EmbeddingInput>, CancellationToken, Task>? OnCall { get; set; }

    /// <summary>Gets or sets how services are answered before the default (the provider itself); for example a circuit state.</summary>
    public Func<Type, object?>? Services { get; set; }

    public int Calls => Volatile.Read(ref _calls);

    public List<IReadOnlyList<EmbeddingInput>> Batches { get; } = [];

    public bool Disposed { get; private set; }

    public async Task<IReadOnlyList<EmbeddingResult>> EmbedAsync(
        IReadOnlyList<EmbeddingInput> inputs, EmbeddingRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        Interlocked.Increment(ref _calls);
        lock (Batches)
        {
            Batches.Add([.. inputs]);
        }

        if (OnCall is not null)
        {
            await OnCall(inputs, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return [.. inputs.Select(i => (EmbedOne ?? DefaultEmbed)(i, options))];
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null : Services?.Invoke(serviceType) ?? (serviceType.IsInstanceOfType(this) ? this : null);

    public void Dispose() => Disposed = true;

    /// <summary>A vector that identifies the input: its text's length and first characters, or its kind.</summary>
    public static float[] VectorFor(EmbeddingInput input)
    {
        string key = input.Text ?? input.Name ?? input.Kind.ToString();
        return [key.Length, key.Length > 0 ? key[0] : 0, key.Length > 1 ? key[1] : 0, (int)input.Kind];
    }

    private EmbeddingResult DefaultEmbed(EmbeddingInput input, EmbeddingRequestOptions? options) =>
        EmbeddingResult.Success(new Embedding<float>(VectorFor(input)) { ModelId = Metadata.ModelId }, Metadata.ProviderName);
}
