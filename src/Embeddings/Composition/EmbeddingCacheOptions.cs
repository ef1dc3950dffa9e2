namespace Embeddings.Composition;

/// <summary>
/// Settings of a <see cref="CachingEmbeddingProvider"/>. Every property can be bound from configuration
/// (for example a section <c>Embeddings:Cache</c>; time spans as <c>hh:mm:ss</c>).
/// </summary>
public sealed class EmbeddingCacheOptions
{
    /// <summary>The default for <see cref="MaxEntryBytes"/>: 64 KiB, enough for 16,380 float dimensions.</summary>
    public const int DefaultMaxEntryBytes = 64 * 1024;

    /// <summary>The default for <see cref="MaxInputBytes"/>: 16 MiB.</summary>
    public const long DefaultMaxInputBytes = 16L * 1024 * 1024;

    /// <summary>The default for <see cref="MemorySizeLimitBytes"/>: 64 MiB, about 20,000 vectors of 768 dimensions.</summary>
    public const long DefaultMemorySizeLimitBytes = 64L * 1024 * 1024;

    /// <summary>The default key prefix.</summary>
    public const string DefaultKeyPrefix = "emb:";

    /// <summary>
    /// Gets or sets which cache is used when the provider is created from options (dependency injection).
    /// The constructors and extension methods that take a cache directly ignore it.
    /// </summary>
    /// <value>Defaults to <see cref="EmbeddingCacheBackend.Memory"/>.</value>
    public EmbeddingCacheBackend Backend { get; set; } = EmbeddingCacheBackend.Memory;

    /// <summary>
    /// Gets or sets the service key of a keyed <c>IDistributedCache</c> registration to use with
    /// <see cref="EmbeddingCacheBackend.Distributed"/>, or <see langword="null"/> for the unkeyed one.
    /// </summary>
    public string? DistributedCacheServiceKey { get; set; }

    /// <summary>Gets or sets how long an entry lives after it is written, or <see langword="null"/> for no limit.</summary>
    /// <remarks>Vectors of one model revision never go stale, so entries need no expiry when
    /// <see cref="EmbeddingProviderMetadata.ModelRevision"/> is known. When it is <see langword="null"/>, the model id
    /// alone identifies the model: set an expiry, or change <see cref="KeyPrefix"/>, when model files are replaced
    /// under the same id.</remarks>
    public TimeSpan? AbsoluteExpiration { get; set; }

    /// <summary>Gets or sets how long an entry lives after it was last read, or <see langword="null"/> for no
    /// sliding expiry.</summary>
    public TimeSpan? SlidingExpiration { get; set; }

    /// <summary>Gets or sets the largest stored value in bytes (a 16-byte header plus 4 bytes per dimension); larger
    /// vectors are not cached.</summary>
    /// <value>Defaults to <see cref="DefaultMaxEntryBytes"/>.</value>
    public int MaxEntryBytes { get; set; } = DefaultMaxEntryBytes;

    /// <summary>
    /// Gets or sets the largest input, in bytes, that is hashed for a key (UTF-8 text, encoded image, file or stream,
    /// decoded pixels). Larger inputs bypass the cache and go to the inner provider unchanged; a stream that turns
    /// out to be larger is passed on without being read twice.
    /// </summary>
    /// <value>Defaults to <see cref="DefaultMaxInputBytes"/>.</value>
    public long MaxInputBytes { get; set; } = DefaultMaxInputBytes;

    /// <summary>Gets or sets the bound of the in-memory cache the provider creates for itself, in bytes (vectors
    /// plus keys plus a fixed per-entry overhead).</summary>
    /// <value>Defaults to <see cref="DefaultMemorySizeLimitBytes"/>.</value>
    public long MemorySizeLimitBytes { get; set; } = DefaultMemorySizeLimitBytes;

    /// <summary>Gets or sets the longest a single read or write of a distributed cache may take; a slower
    /// operation counts as a cache failure and the embedding is computed instead.</summary>
    /// <value>Defaults to 1 second.</value>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gets or sets how long the cache is left alone after consecutive failures (a Redis server that is down), so that
    /// calls do not each wait for it; <see cref="TimeSpan.Zero"/> keeps trying on every call.
    /// </summary>
    /// <value>Defaults to 5 seconds.</value>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets the prefix of every key, to share one cache between applications or to drop all
    /// entries at once by changing it.</summary>
    /// <value>Defaults to <see cref="DefaultKeyPrefix"/>.</value>
    public string KeyPrefix { get; set; } = DefaultKeyPrefix;

    /// <summary>Creates a copy of these options.</summary>
    /// <returns>A new instance with the same values.</returns>
    public EmbeddingCacheOptions Clone() => (EmbeddingCacheOptions)MemberwiseClone();
}
