namespace Embeddings.Composition;

/// <summary>
/// Settings of a <see cref="FallbackProvider"/>. Every property can be bound from configuration (for example a
/// section <c>Embeddings:Fallback</c>; time spans as <c>hh:mm:ss</c>).
/// </summary>
public sealed class FallbackProviderOptions
{
    /// <summary>The default for <see cref="WarningInterval"/>: 30 seconds.</summary>
    public static readonly TimeSpan DefaultWarningInterval = TimeSpan.FromSeconds(30);

    /// <summary>The default for <see cref="MaxStreamBytes"/>: 64 MiB.</summary>
    public const long DefaultMaxStreamBytes = 64L * 1024 * 1024;

    /// <summary>
    /// Gets or sets a value indicating whether providers that declare different model ids or dimensions may be
    /// combined. <b>Off by default, and dangerous when on.</b>
    /// </summary>
    /// <remarks>
    /// <para>Vectors from different models live in different spaces: comparing or storing them together gives
    /// meaningless similarities, silently. A <see cref="FallbackProvider"/> therefore refuses, when it is created,
    /// providers whose <see cref="EmbeddingProviderMetadata.ModelId"/> (compared ignoring case) or known
    /// <see cref="EmbeddingProviderMetadata.Dimensions"/> differ.</para>
    /// <para>Set this only when you know the providers produce the same vectors under different names: the same
    /// weights exported to ONNX in a folder whose name is not the hub id, or a service that renames the model.</para>
    /// <para>Even then, every vector is checked at run time: one whose dimension differs from the call's (the requested
    /// <see cref="EmbeddingRequestOptions.Dimensions"/>, or the dimension of the first provider that declares one)
    /// fails its input with an <see cref="EmbeddingModelException"/> rather than entering the results.</para>
    /// </remarks>
    public bool AssumeCompatible { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the providers stay open when the fallback provider is disposed.
    /// </summary>
    /// <value>Defaults to <see langword="false"/>: the fallback provider owns its providers and disposes them.</value>
    public bool LeaveOpen { get; set; }

    /// <summary>
    /// Gets or sets the shortest time between two fallback warnings in the log; fallbacks in between are counted and
    /// reported with the next warning (metrics count every one). <see cref="TimeSpan.Zero"/> logs every fallback.
    /// </summary>
    /// <value>Defaults to <see cref="DefaultWarningInterval"/>.</value>
    public TimeSpan WarningInterval { get; set; } = DefaultWarningInterval;

    /// <summary>
    /// Gets or sets the largest image read from a non-seekable stream. Such a stream can be read only once, so it is
    /// read into memory before the first provider is called, for a fallback provider to see the same bytes; a larger
    /// one fails with <see cref="EmbeddingInputError.TooLarge"/>. Seekable streams are rewound instead, never copied.
    /// </summary>
    /// <value>Defaults to <see cref="DefaultMaxStreamBytes"/>.</value>
    public long MaxStreamBytes { get; set; } = DefaultMaxStreamBytes;

    /// <summary>Creates a copy of these options.</summary>
    /// <returns>A new instance with the same values.</returns>
    public FallbackProviderOptions Clone() => (FallbackProviderOptions)MemberwiseClone();
}
