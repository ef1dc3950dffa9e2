using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Embeddings.AspNetCore;

/// <summary>The request pipeline shared by every embedding route: authenticate, read, parse, check limits, queue,
/// wait, answer.</summary>
internal sealed partial class EmbeddingsServer
{
    private const int MaxEchoedLength = 64;

    /// <summary>Serves one request on an embedding route.</summary>
    public async Task ServeAsync(HttpContext context, EmbeddingRoute route)
    {
        ErrorStyle style = route == EmbeddingRoute.OpenAI ? ErrorStyle.OpenAI : ErrorStyle.Tei;
        ApiError? error = Authorize(context);
        if (error is null)
        {
            ArrivalScope arrival = _arrivals.Begin();
            try
            {
                error = await ServeCoreAsync(context, route, arrival).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The client went away: there is no one to answer.
                return;
            }
            finally
            {
                arrival.Dispose();
            }
        }

        if (error is not null)
        {
            await ResponseWriter.WriteErrorAsync(context, error, style).ConfigureAwait(false);
        }
    }

    private async Task<ApiError?> ServeCoreAsync(HttpContext context, EmbeddingRoute route, ArrivalScope arrival)
    {
        string field = FieldOf(route);
        EmbeddingRequest request;
        using (PooledBody? body = await RequestBodyReader.ReadAsync(context, _options.MaxRequestBodyBytes).ConfigureAwait(false))
        {
            if (body is null)
            {
                _metrics.Rejected("body_too_large");
                return new ApiError(
                    StatusCodes.Status413PayloadTooLarge,
                    $"The request body is larger than {_options.MaxRequestBodyBytes} bytes.",
                    ErrorTypes.PayloadTooLarge);
            }

            ParseResult parsed = await ParseAsync(route, context, body).ConfigureAwait(false);
            if (parsed.Error is not null)
            {
                _metrics.Rejected("invalid");
                return parsed.Error;
            }

            request = parsed.Request!;
        }

        if (CheckLimits(request, field) is { } refused)
        {
            _metrics.Rejected(refused.StatusCode == StatusCodes.Status413PayloadTooLarge ? "too_large" : "invalid");
            return refused;
        }

        ServedModels models = await EnsureStarted().WaitAsync(context.RequestAborted).ConfigureAwait(false);
        if (models.Failure is not null)
        {
            return new ApiError(StatusCodes.Status503ServiceUnavailable, "The embedding model could not be started; see the server log.", ErrorTypes.Unhealthy);
        }

        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var plan = new RequestPlan();
        for (int i = 0; i < request.Inputs.Count; i++)
        {
            bool text = request.Inputs[i].Modality == EmbeddingModalities.Text;
            DynamicBatcher? batcher = text ? models.Text : models.Image;
            if (batcher is null)
            {
                return new ApiError(
                    StatusCodes.Status404NotFound,
                    $"This server has no {(text ? "text" : "image")} model ({request.Inputs[i]} cannot be embedded).",
                    ErrorTypes.NotFound);
            }

            plan.Add(batcher, i, text);
        }

        // Every group's options are checked before any is queued, so a refusal leaves nothing behind.
        string defaultPrompt = route == EmbeddingRoute.Predict ? _options.PredictPromptName ?? string.Empty : _options.DefaultPromptName ?? string.Empty;
        var keys = new BatchKey[plan.Groups.Count];
        for (int g = 0; g < keys.Length; g++)
        {
            EmbeddingProviderMetadata metadata = plan.Groups[g].Batcher.Provider.Metadata;
            if (ResolveKey(request, metadata, plan.Groups[g].HasText, defaultPrompt) is not { } key)
            {
                return InvalidOptions(request, metadata);
            }

            keys[g] = key;
        }

        for (int g = 0; g < keys.Length; g++)
        {
            RequestPlanGroup group = plan.Groups[g];
            IReadOnlyList<EmbeddingInput> inputs = plan.Groups.Count == 1 ? request.Inputs : [.. group.Indices.Select(i => request.Inputs[i])];
            switch (group.Batcher.TryEnqueue(inputs, keys[g], cancellation.Token, out Task<IReadOnlyList<EmbeddingResult>> completion))
            {
                case EnqueueStatus.Queued:
                    group.Completion = completion;
                    break;
                case EnqueueStatus.QueueFull:
                    // Work already queued for another provider leaves the queue with this cancellation.
                    await cancellation.CancelAsync().ConfigureAwait(false);
                    int retryAfter = group.Batcher.EstimateRetryAfterSeconds();
                    _metrics.Rejected("queue_full");
                    LogQueueFull(group.Batcher, retryAfter);
                    return new ApiError(
                        StatusCodes.Status429TooManyRequests,
                        "The server is overloaded: too many inputs are waiting. Retry later.",
                        ErrorTypes.Overloaded)
                    {
                        RetryAfterSeconds = retryAfter,
                    };
                default:
                    await cancellation.CancelAsync().ConfigureAwait(false);
                    return Stopping();
            }
        }

        // Queued: the batcher no longer needs to wait for this request.
        arrival.Dispose();

        IReadOnlyList<EmbeddingResult> results;
        try
        {
            results = plan.Groups.Count == 1
                ? await plan.Groups[0].Completion!.WaitAsync(context.RequestAborted).ConfigureAwait(false)
                : await plan.GatherAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // This continuation can run inside the abort's own callbacks, before the link to the linked source has
            // fired: cancel it here, so the work leaves the queue (or its call is abandoned) before it is disposed.
            await cancellation.CancelAsync().ConfigureAwait(false);
            throw;
        }
        catch (Exception ex)
        {
            return MapCallFailure(ex);
        }

        if (FirstFailure(results, request) is { } failed)
        {
            return failed;
        }

        string modelId = (plan.Groups[0].HasText || models.Image is null ? models.Text! : models.Image).Provider.Metadata.ModelId;
        await WriteAsync(context, route, request, results, modelId).ConfigureAwait(false);
        return null;
    }

    private void LogQueueFull(DynamicBatcher batcher, int retryAfter)
    {
        // At most one warning a second: an overloaded server would otherwise log every refusal.
        long now = _timeProvider.GetTimestamp();
        long last = Interlocked.Read(ref _lastQueueFullLog);
        if (last != 0 && _timeProvider.GetElapsedTime(last, now) < TimeSpan.FromSeconds(1))
        {
            Interlocked.Increment(ref _suppressedQueueFullLogs);
            return;
        }

        if (Interlocked.CompareExchange(ref _lastQueueFullLog, now, last) == last)
        {
            int suppressed = Interlocked.Exchange(ref _suppressedQueueFullLogs, 0);
            ServerLog.QueueFull(_logger, batcher.Modality, batcher.QueuedInputs, _options.MaxQueuedInputs, retryAfter, suppressed);
        }
    }

    private static Task WriteAsync(HttpContext context, EmbeddingRoute route, EmbeddingRequest request, IReadOnlyList<EmbeddingResult> results, string modelId) =>
        route switch
        {
            EmbeddingRoute.Predict => ResponseWriter.WriteVectorsAsync(context, results, request.Single),
            EmbeddingRoute.OpenAI => ResponseWriter.WriteOpenAIAsync(context, results, modelId, request.Base64),

            // TEI and the image route answer a list of vectors even for one input.
            _ => ResponseWriter.WriteVectorsAsync(context, results, single: false),
        };

    private ApiError? CheckLimits(EmbeddingRequest request, string field)
    {
        if (request.Inputs.Count == 0)
        {
            return new ApiError(StatusCodes.Status400BadRequest, $"'{field}' is empty: send at least one input.", ErrorTypes.Empty) { Param = field };
        }

        if (request.Inputs.Count > _options.MaxInputsPerRequest)
        {
            return new ApiError(
                StatusCodes.Status413PayloadTooLarge,
                $"'{field}' holds {request.Inputs.Count} inputs; at most {_options.MaxInputsPerRequest} are accepted per request.",
                ErrorTypes.PayloadTooLarge)
            {
                Param = field,
            };
        }

        foreach (EmbeddingInput input in request.Inputs)
        {
            if (input.Text is { } text && text.Length > _options.MaxTextLength)
            {
                return new ApiError(
                    StatusCodes.Status413PayloadTooLarge,
                    $"{input.Name} is {text.Length} characters long; at most {_options.MaxTextLength} are accepted.",
                    ErrorTypes.PayloadTooLarge)
                {
                    Param = field,
                };
            }
        }

        return null;
    }

    /// <summary>The call options for one provider, or <see langword="null"/> when the request's options do not fit
    /// its model.</summary>
    private static BatchKey? ResolveKey(EmbeddingRequest request, EmbeddingProviderMetadata metadata, bool hasText, string defaultPrompt)
    {
        if (request.Dimensions is { } d && (d < 1 || (metadata.Dimensions > 0 && d > metadata.Dimensions)))
        {
            return null;
        }

        string? prompt = null;
        if (hasText)
        {
            if (request.PromptName is { Length: > 0 } asked)
            {
                // A model that lists no prompts (a remote one) decides for itself.
                if (metadata.PromptNames.Count > 0 && !metadata.PromptNames.Contains(asked, StringComparer.Ordinal))
                {
                    return null;
                }

                prompt = asked;
            }
            else if (request.PromptName is null && defaultPrompt.Length > 0 && metadata.PromptNames.Contains(defaultPrompt, StringComparer.Ordinal))
            {
                prompt = defaultPrompt;
            }
        }

        return new BatchKey(prompt, request.Dimensions, request.Normalize);
    }

    private static ApiError InvalidOptions(EmbeddingRequest request, EmbeddingProviderMetadata metadata)
    {
        if (request.Dimensions is { } d && d < 1)
        {
            return new ApiError(StatusCodes.Status422UnprocessableEntity, "dimensions must be a positive integer.", ErrorTypes.Validation) { Param = "dimensions" };
        }

        if (request.Dimensions is { } tooMany && metadata.Dimensions > 0 && tooMany > metadata.Dimensions)
        {
            return new ApiError(
                StatusCodes.Status422UnprocessableEntity,
                $"dimensions {tooMany} is more than the model's {metadata.Dimensions}.",
                ErrorTypes.Validation)
            {
                Param = "dimensions",
            };
        }

        string asked = request.PromptName ?? string.Empty;
        if (asked.Length > MaxEchoedLength)
        {
            asked = string.Concat(asked.AsSpan(0, MaxEchoedLength), "…");
        }

        return new ApiError(
            StatusCodes.Status422UnprocessableEntity,
            $"Unknown prompt_name '{asked}': the model defines {string.Join(", ", metadata.PromptNames)}; \"\" applies none.",
            ErrorTypes.Validation)
        {
            Param = "prompt_name",
        };
    }

    private ApiError? FirstFailure(IReadOnlyList<EmbeddingResult> results, EmbeddingRequest request)
    {
        int failed = 0;
        int first = -1;
        for (int i = 0; i < results.Count; i++)
        {
            if (!results[i].Succeeded)
            {
                failed++;
                first = first < 0 ? i : first;
            }
        }

        if (failed == 0)
        {
            return null;
        }

        EmbeddingException error = results[first].Error!;
        string more = failed == 1 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" ({failed - 1} more input(s) failed too)");
        string input = request.Inputs[first].ToString();
        switch (error)
        {
            case EmbeddingInputException inputError:
                return new ApiError(
                    inputError.Reason == EmbeddingInputError.TooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status422UnprocessableEntity,
                    inputError.Message + more,
                    inputError.Reason == EmbeddingInputError.TooLarge ? ErrorTypes.PayloadTooLarge : ErrorTypes.Validation);
            case RemoteEmbeddingException remote:
                (int status, string what, string type) = remote.Kind switch
                {
                    RemoteFailureKind.Timeout => (StatusCodes.Status504GatewayTimeout, "timed out", ErrorTypes.Backend),
                    RemoteFailureKind.RateLimited or RemoteFailureKind.CircuitOpen => (StatusCodes.Status503ServiceUnavailable, "is unavailable", ErrorTypes.Unhealthy),
                    _ => (StatusCodes.Status502BadGateway, "failed", ErrorTypes.Backend),
                };
                ServerLog.InputFailed(_logger, status, input, remote.Kind.ToString(), remote);
                return new ApiError(status, $"The upstream embedding service {what} for {input}{more}.", type)
                {
                    RetryAfterSeconds = status == StatusCodes.Status503ServiceUnavailable ? 1 : null,
                };
            default:
                // Model and runtime failures: the details (paths, runtime messages) stay in the server log.
                ServerLog.InputFailed(_logger, StatusCodes.Status500InternalServerError, input, error.GetType().Name, error);
                return new ApiError(StatusCodes.Status500InternalServerError, $"The model failed to embed {input} ({error.GetType().Name}){more}.", ErrorTypes.Backend);
        }
    }

    private static ApiError MapCallFailure(Exception exception) => exception switch
    {
        ServerStoppingException => Stopping(),
        ArgumentException argument => new ApiError(StatusCodes.Status422UnprocessableEntity, WithoutParameterSuffix(argument), ErrorTypes.Validation),
        _ => new ApiError(StatusCodes.Status500InternalServerError, $"The embedding call failed ({exception.GetType().Name}); see the server log.", ErrorTypes.Backend),
    };

    private static ApiError Stopping() =>
        new(StatusCodes.Status503ServiceUnavailable, "The server is shutting down.", ErrorTypes.Unhealthy) { RetryAfterSeconds = 1 };

    private static string WithoutParameterSuffix(ArgumentException exception) =>
        exception.ParamName is { } name ? exception.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal) : exception.Message;
}
