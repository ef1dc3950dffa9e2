using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Distributed;

namespace Embeddings.TestSupport;

/// <summary>A callback-driven <see cref="IDistributedCache"/>: an in-process dictionary by default, with hooks to
/// fail, hang or delay operations.</summary>
internal sealed class TestDistributedCache : IDistributedCache
{
    private int _gets;
    private int _sets;

    public ConcurrentDictionary<string, byte[]> Values { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets or sets a hook run before every operation (its name and the token); throw or wait in it.</summary>
    public Func<string, CancellationToken, Task>? OnOperation { get; set; }

    public int Gets => Volatile.Read(ref _gets);

    public int Sets => Volatile.Read(ref _sets);

    public DistributedCacheEntryOptions? LastEntryOptions { get; private set; }

    public byte[]? Get(string key) => GetAsync(key).GetAwaiter().GetResult();

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        Interlocked.Increment(ref _gets);
        await Hook("get", token);
        return Values.TryGetValue(key, out byte[]? value) ? value : null;
    }

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => SetAsync(key, value, options).GetAwaiter().GetResult();

    public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        Interlocked.Increment(ref _sets);
        await Hook("set", token);
        LastEntryOptions = options;
        Values[key] = value;
    }

    public void Refresh(string key)
    {
    }

    public Task RefreshAsync(string key, CancellationToken token = default) => Task.CompletedTask;

    public void Remove(string key) => Values.TryRemove(key, out _);

    public Task RemoveAsync(string key, CancellationToken token = default)
    {
        Remove(key);
        return Task.CompletedTask;
    }

    private Task Hook(string operation, CancellationToken token) => OnOperation?.Invoke(operation, token) ?? Task.CompletedTask;
}
