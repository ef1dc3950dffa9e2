using Microsoft.Extensions.AI;

namespace Embeddings.Composition;

/// <content>Reading and writing the cache: bounded in time, and never an error for the caller.</content>
public sealed partial class CachingEmbeddingProvider
{
    private static bool IsCacheFailure(Exception exception, CancellationToken cancellationToken, out string errorType)
    {
        errorType = exception switch
        {
            TimeoutException or OperationCanceledException => "timeout",
            _ => exception.GetType().FullName ?? exception.GetType().Name,
        };

        // The caller's cancellation is not a cache failure: it ends the call.
        return !(exception is OperationCanceledException && cancellationToken.IsCancellationRequested);
    }

    private async Task WriteAsync(
        List<(int Index, TaskCompletionSource<EmbeddingResult?>? Signal)> leaders,
        PreparedInput[] prepared,
        EmbeddingResult?[] results,
        CancellationToken cancellationToken)
    {
        List<Task>? writes = null;
        foreach ((int index, _) in leaders)
        {
            if (results[index]!.Embedding is not { } embedding)
            {
                continue;
            }

            ValueTask write = TryWriteAsync(prepared[index].Key!, prepared[index].Check, embedding.Vector, cancellationToken);
            if (!write.IsCompletedSuccessfully)
            {
                (writes ??= []).Add(write.AsTask());
            }
        }

        if (writes is not null)
        {
            await Task.WhenAll(writes).ConfigureAwait(false);
        }
    }

    private async Task LookUpAsync(
        List<int> lookUp, PreparedInput[] prepared, EmbeddingResult?[] results, EmbeddingProviderMetadata metadata, CancellationToken cancellationToken)
    {
        if (lookUp.Count == 0)
        {
            return;
        }

        if (_store.IsSynchronous || lookUp.Count == 1)
        {
            foreach (int i in lookUp)
            {
                float[]? vector = await TryReadAsync(prepared[i].Key!, prepared[i].Check, cancellationToken).ConfigureAwait(false);
                results[i] = vector is null ? null : Hit(vector, metadata);
            }

            return;
        }

        var reads = new Task<float[]?>[lookUp.Count];
        for (int j = 0; j < reads.Length; j++)
        {
            reads[j] = TryReadAsync(prepared[lookUp[j]].Key!, prepared[lookUp[j]].Check, cancellationToken).AsTask();
        }

        float[]?[] vectors = await Task.WhenAll(reads).ConfigureAwait(false);
        for (int j = 0; j < vectors.Length; j++)
        {
            results[lookUp[j]] = vectors[j] is { } vector ? Hit(vector, metadata) : null;
        }
    }

    private static EmbeddingResult Hit(float[] vector, EmbeddingProviderMetadata metadata) =>
        EmbeddingResult.Success(new Embedding<float>(vector) { ModelId = metadata.ModelId }, HitProviderName);

    private async ValueTask<float[]?> TryReadAsync(string key, ulong check, CancellationToken cancellationToken)
    {
        if (!_failures.ShouldAttempt())
        {
            _failures.Skipped("read");
            _metrics.Miss();
            return null;
        }

        try
        {
            EmbeddingCacheRead read = await RunBoundedAsync(
                (store, t) => store.GetAsync(key, check, t), cancellationToken).ConfigureAwait(false);
            _failures.Succeeded();
            _metrics.ValueBytes("read", read.Bytes);
            if (read.Vector is not null)
            {
                _metrics.Hit();
                return read.Vector;
            }

            if (read.Corrupt)
            {
                _metrics.Error("read", "corrupt_value");
                EmbeddingCacheLog.CorruptValue(_logger, _store.Backend);
            }
        }
        catch (Exception ex) when (IsCacheFailure(ex, cancellationToken, out string errorType))
        {
            _failures.Failed("read", errorType, ex);
        }

        _metrics.Miss();
        return null;
    }

    private async ValueTask TryWriteAsync(string key, ulong check, ReadOnlyMemory<float> vector, CancellationToken cancellationToken)
    {
        if (EmbeddingCacheValue.SizeOf(vector.Length) > _options.MaxEntryBytes)
        {
            return;
        }

        if (!_failures.ShouldAttempt())
        {
            _failures.Skipped("write");
            return;
        }

        try
        {
            int bytes = await RunBoundedAsync((store, t) => store.SetAsync(key, check, vector, t), cancellationToken).ConfigureAwait(false);
            _failures.Succeeded();
            _metrics.ValueBytes("write", bytes);
        }
        catch (Exception ex) when (IsCacheFailure(ex, cancellationToken, out string errorType))
        {
            _failures.Failed("write", errorType, ex);
        }
    }

    /// <summary>Runs a store operation within <see cref="EmbeddingCacheOptions.OperationTimeout"/>, even when the
    /// store ignores its cancellation token.</summary>
    private async ValueTask<T> RunBoundedAsync<T>(
        Func<IEmbeddingCacheStore, CancellationToken, ValueTask<T>> operation, CancellationToken cancellationToken)
    {
        if (_store.IsSynchronous)
        {
            return await operation(_store, cancellationToken).ConfigureAwait(false);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.OperationTimeout);
        Task<T> task = operation(_store, timeout.Token).AsTask();
        try
        {
            return await task.WaitAsync(_options.OperationTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch when (!task.IsCompleted)
        {
            // Abandoned: tell it to stop, and observe whatever it ends with.
            await timeout.CancelAsync().ConfigureAwait(false);
            _ = task.ContinueWith(
                static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            throw;
        }
    }
}
