using System.Diagnostics;
using Embeddings.Diagnostics;
using Embeddings.Remote;

namespace Embeddings.Composition;

/// <content>One provider's turn in a call, and what the call reports.</content>
public sealed partial class FallbackProvider
{
    /// <summary>
    /// Offers the inputs still without a result to provider <paramref name="p"/>: those of a modality it embeds, unless
    /// its circuit is open (and a later provider embeds them) or it declares another dimension than the chain's.
    /// </summary>
    private async Task RunStepAsync(int p, FallbackCall call, EmbeddingRequestOptions? options, Activity? activity, CancellationToken cancellationToken)
    {
        IEmbeddingProvider provider = _providers[p];
        EmbeddingProviderMetadata metadata = provider.Metadata;
        bool skipOpen = p < _providers.Length - 1 && provider.GetService(typeof(RemoteCircuitState)) is RemoteCircuitState.Open;
        EmbeddingModelException? mismatch = DeclaredMismatch(metadata, options);
        RemoteEmbeddingException? circuitOpen = null;
        List<int>? sent = null;
        for (int i = 0; i < call.Count; i++)
        {
            EmbeddingModalities modality = call.Input(i).Modality;
            if (!call.IsPending(i) || (metadata.Modalities & modality) == 0)
            {
                continue;
            }

            if (mismatch is not null)
            {
                call.Fail(i, new FallbackFailure(p, metadata.ProviderName, FallbackReasons.DimensionMismatch, mismatch, null));
            }
            else if (skipOpen && LaterProviderEmbeds(p, modality))
            {
                circuitOpen ??= new RemoteEmbeddingException(
                    RemoteFailureKind.CircuitOpen,
                    $"The embedding provider '{metadata.ProviderName}' was not called: its circuit is open after repeated failures.",
                    attempts: 0);
                call.Fail(i, new FallbackFailure(p, metadata.ProviderName, FallbackReasons.CircuitOpen, circuitOpen, null));
            }
            else
            {
                (sent ??= new List<int>(call.Count)).Add(i);
            }
        }

        if (sent is null)
        {
            return;
        }

        string? fallbackReasons = CountFallbacks(p, sent, call, activity);
        for (int j = sent.Count - 1; j >= 0; j--)
        {
            if (call.TakeForAttempt(sent[j], metadata.ProviderName) is null)
            {
                sent.RemoveAt(j);
            }
        }

        if (sent.Count == 0)
        {
            return;
        }

        // The usual case, every input to the first provider, passes the inputs on as they are.
        IReadOnlyList<EmbeddingInput> batch = sent.Count == call.Count ? call.Inputs : [.. sent.Select(call.Input)];
        DateTimeOffset startedAt = _usageObserver is null ? default : _timeProvider.GetUtcNow();
        long started = _timeProvider.GetTimestamp();
        IReadOnlyList<EmbeddingResult>? results = null;
        Exception? thrown = null;
        string? thrownReason = null;
        try
        {
            results = await provider.EmbedAsync(batch, options, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            RecordUsage(metadata, batch, 0, startedAt, started, EmbeddingCallOutcome.Cancelled, null, fallbackReasons);
            throw;
        }
        catch (Exception ex)
        {
            thrown = ex;
            thrownReason = FallbackReasons.Of(ex);
        }

        if (thrown is null && (results is null || results.Count != batch.Count))
        {
            thrown = new InvalidOperationException(
                $"The embedding provider '{metadata.ProviderName}' returned {results?.Count ?? 0} result(s) for {batch.Count} input(s).");
            thrownReason = FallbackReasons.InvalidResult;
        }

        int succeeded = 0;
        RemoteFailureKind? failureKind = null;
        for (int j = 0; j < sent.Count; j++)
        {
            int i = sent[j];
            if (thrown is not null)
            {
                call.Fail(i, new FallbackFailure(p, metadata.ProviderName, thrownReason!, null, thrown));
                continue;
            }

            EmbeddingResult? result = results![j];
            EmbeddingException? error = result switch
            {
                null => new EmbeddingException($"The embedding provider '{metadata.ProviderName}' returned no result for {batch[j]}."),
                { Succeeded: false } => result.Error,
                _ => CheckDimensions(result, metadata, batch[j], options),
            };

            if (error is null)
            {
                call.Serve(i, result!);
                succeeded++;
                continue;
            }

            string reason = result is null ? FallbackReasons.InvalidResult
                : result.Succeeded ? FallbackReasons.DimensionMismatch
                : FallbackReasons.Of(error);
            failureKind ??= (error as RemoteEmbeddingException)?.Kind;
            call.Fail(i, new FallbackFailure(p, result?.ProviderName ?? metadata.ProviderName, reason, error, null));
        }

        if (p == 0 && succeeded == sent.Count && Volatile.Read(ref _primaryFallbacks) > 0
            && Interlocked.Exchange(ref _primaryFallbacks, 0) is var fellBack and > 0)
        {
            FallbackLog.PrimaryRecovered(_logger, metadata.ProviderName, fellBack);
        }

        RecordUsage(
            metadata, batch, succeeded, startedAt, started,
            succeeded == sent.Count ? EmbeddingCallOutcome.Succeeded : EmbeddingCallOutcome.Failed, failureKind, fallbackReasons);
    }

    /// <summary>A provider that already declares another dimension than the chain's is not called: its vectors could
    /// only fail the check.</summary>
    private EmbeddingModelException? DeclaredMismatch(EmbeddingProviderMetadata metadata, EmbeddingRequestOptions? options)
    {
        int chain = Volatile.Read(ref _dimensions);
        if (options?.Dimensions is not null || chain == 0 || metadata.Dimensions == 0 || metadata.Dimensions == chain)
        {
            return null;
        }

        return new EmbeddingModelException(
            metadata.ModelId,
            $"The embedding provider '{metadata.ProviderName}' produces {metadata.Dimensions}-dimensional vectors, but this fallback "
            + $"chain produces {chain}-dimensional ones; it is not called, because vectors of different dimensions are never mixed.");
    }

    private EmbeddingModelException? CheckDimensions(
        EmbeddingResult result, EmbeddingProviderMetadata metadata, EmbeddingInput input, EmbeddingRequestOptions? options)
    {
        int length = result.Embedding!.Vector.Length;
        int expected = options?.Dimensions ?? LearnDimensions(length);
        if (length == expected)
        {
            return null;
        }

        string requested = options?.Dimensions is null ? string.Empty : " (as requested)";
        return new EmbeddingModelException(
            metadata.ModelId,
            $"The embedding provider '{metadata.ProviderName}' returned a {length}-dimensional vector for {input}, but this fallback "
            + $"chain produces {expected}-dimensional vectors{requested}. Vectors of different dimensions come from different "
            + "embedding spaces and are never mixed.");
    }

    private bool LaterProviderEmbeds(int p, EmbeddingModalities modality)
    {
        for (int q = p + 1; q < _providers.Length; q++)
        {
            if ((_providers[q].Metadata.Modalities & modality) != 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Counts, logs and traces the inputs that provider <paramref name="p"/> receives after another failed them,
    /// grouped by where they come from and why; returns the distinct reasons (for the usage record), or
    /// <see langword="null"/> when none fell back.
    /// </summary>
    private string? CountFallbacks(int p, List<int> sent, FallbackCall call, Activity? activity)
    {
        Dictionary<(int From, string FromName, string Reason), int>? hops = null;
        foreach (int i in sent)
        {
            if (call.LastFailure(i) is { } failure)
            {
                call.MarkFellBack(i);
                hops ??= [];
                var key = (failure.Provider, failure.ProviderName, failure.Reason);
                hops[key] = hops.GetValueOrDefault(key) + 1;
            }
        }

        if (hops is null)
        {
            return null;
        }

        string to = _providers[p].Metadata.ProviderName;
        var reasons = new List<string>(hops.Count);
        foreach (((int from, string fromName, string reason), int count) in hops)
        {
            if (!reasons.Contains(reason))
            {
                reasons.Add(reason);
            }

            if (from == 0)
            {
                Interlocked.Add(ref _primaryFallbacks, count);
            }

            _telemetry.Fallbacks.Add(
                count,
                new KeyValuePair<string, object?>(FallbackTelemetry.FromTag, fromName),
                new KeyValuePair<string, object?>(FallbackTelemetry.ToTag, to),
                new KeyValuePair<string, object?>(FallbackTelemetry.ReasonTag, reason),
                new KeyValuePair<string, object?>(FallbackTelemetry.ModelTag, _providers[0].Metadata.ModelId));
            activity?.AddEvent(new ActivityEvent(FallbackTelemetry.FallbackEventName, tags: new ActivityTagsCollection
            {
                { FallbackTelemetry.FromTag, fromName },
                { FallbackTelemetry.ToTag, to },
                { FallbackTelemetry.ReasonTag, reason },
                { FallbackTelemetry.InputCountTag, count },
            }));
            if (_warnings.TryEnter(out int suppressed))
            {
                FallbackLog.FellBack(_logger, fromName, count, reason, to, suppressed);
            }
        }

        return string.Join(',', reasons);
    }

    private void RecordUsage(
        EmbeddingProviderMetadata metadata, IReadOnlyList<EmbeddingInput> batch, int succeeded, DateTimeOffset startedAt, long started,
        EmbeddingCallOutcome outcome, RemoteFailureKind? failureKind, string? fallbackReasons)
    {
        if (_usageObserver is null || fallbackReasons is null)
        {
            return;
        }

        EmbeddingModalities modality = EmbeddingModalities.None;
        foreach (EmbeddingInput input in batch)
        {
            modality |= input.Modality;
        }

        var record = new EmbeddingUsageRecord
        {
            Timestamp = startedAt,
            ProviderName = metadata.ProviderName,
            ModelId = metadata.ModelId,
            Modality = modality,
            TaskName = ProviderName,
            Endpoint = metadata.ProviderUri?.GetLeftPart(UriPartial.Path),
            Inputs = batch.Count,
            Succeeded = succeeded,
            Latency = _timeProvider.GetElapsedTime(started),
            Attempts = 1,
            Outcome = outcome,
            FailureKind = outcome == EmbeddingCallOutcome.Failed ? failureKind : null,
            FallbackReason = fallbackReasons,
        };

        try
        {
            _usageObserver.OnUsage(record);
        }
        catch (Exception ex)
        {
            FallbackLog.UsageObserverFailed(_logger, ex);
        }
    }

    /// <summary>Records the call's duration and items, completes its span and logs it at debug level.</summary>
    private void RecordCall(string modelId, int inputs, int fellBack, EmbeddingResult[]? results, string? errorType, long started, Activity? activity)
    {
        TimeSpan latency = _timeProvider.GetElapsedTime(started);
        int failed = 0;
        string? firstError = errorType;
        if (results is not null)
        {
            // Runs of one provider and outcome are counted together; the results of a call rarely form more than two.
            string? runProvider = null;
            bool runSucceeded = false;
            int runLength = 0;
            foreach (EmbeddingResult result in results)
            {
                if (!result.Succeeded)
                {
                    failed++;
                    firstError ??= FallbackReasons.Of(result.Error!);
                }

                if (runLength > 0 && result.Succeeded == runSucceeded && string.Equals(result.ProviderName, runProvider, StringComparison.Ordinal))
                {
                    runLength++;
                    continue;
                }

                AddItems(runProvider, runSucceeded, runLength, modelId);
                (runProvider, runSucceeded, runLength) = (result.ProviderName, result.Succeeded, 1);
            }

            AddItems(runProvider, runSucceeded, runLength, modelId);
        }

        string outcome = results is null ? (errorType == "cancelled" ? "cancelled" : "failure")
            : failed == 0 ? "success"
            : failed == inputs ? "failure"
            : "partial";
        var tags = new TagList
        {
            { FallbackTelemetry.OperationTag, FallbackTelemetry.OperationName },
            { FallbackTelemetry.ProviderTag, ProviderName },
            { FallbackTelemetry.ModelTag, modelId },
            { FallbackTelemetry.OutcomeTag, outcome },
        };
        if (firstError is not null)
        {
            tags.Add(FallbackTelemetry.ErrorTypeTag, firstError);
        }

        _telemetry.Duration.Record(latency.TotalSeconds, tags);

        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(FallbackTelemetry.OutcomeTag, outcome);
            activity.SetTag(FallbackTelemetry.FallbackCountTag, fellBack);
            if (results is not null)
            {
                activity.SetTag(FallbackTelemetry.FailedCountTag, failed);
                if (Volatile.Read(ref _dimensions) is var dimensions and > 0)
                {
                    activity.SetTag(FallbackTelemetry.DimensionsTag, dimensions);
                }
            }

            if (firstError is not null)
            {
                activity.SetTag(FallbackTelemetry.ErrorTypeTag, firstError);
                activity.SetStatus(outcome is "failure" or "cancelled" ? ActivityStatusCode.Error : ActivityStatusCode.Unset);
            }
        }

        FallbackLog.CallCompleted(_logger, modelId, inputs, fellBack, failed, (long)latency.TotalMilliseconds);
    }

    private void AddItems(string? provider, bool succeeded, int count, string modelId)
    {
        if (count > 0)
        {
            _telemetry.Items.Add(
                count,
                new KeyValuePair<string, object?>(FallbackTelemetry.ProviderTag, provider),
                new KeyValuePair<string, object?>(FallbackTelemetry.ModelTag, modelId),
                new KeyValuePair<string, object?>(FallbackTelemetry.OutcomeTag, succeeded ? "success" : "failure"));
        }
    }
}
