using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Embeddings.Imaging;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Embeddings.Local;

/// <summary>The pipeline: chunks are prepared (tokenized, decoded) one ahead of the chunk being run.</summary>
public sealed partial class LocalOnnxProvider
{
    private const string TextModality = "text";
    private const string ImageModality = "image";

    /// <summary>
    /// Runs chunks through two stages: while chunk k runs in ONNX Runtime, chunk k+1 is read and prepared (tokenized,
    /// decoded and preprocessed) on the thread pool, so at most two chunks are held. When the runner would wait for a
    /// chunk that is still being read from <paramref name="stream"/>, the reader is asked to hand over what it has.
    /// </summary>
    private async IAsyncEnumerable<PreparedChunk> RunPipelineAsync(
        Func<ValueTask<(int Offset, EmbeddingInput[] Inputs)?>> read,
        StreamChunkSource? stream,
        RequestSettings settings,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Task<PreparedChunk?> ReadAndPrepare() => Task.Run(async () =>
            await read().ConfigureAwait(false) is { } next ? PrepareChunk(next.Offset, next.Inputs, settings, cancellationToken) : null,
            cancellationToken);

        Task<PreparedChunk?> ahead = ReadAndPrepare();
        try
        {
            while (true)
            {
                if (!ahead.IsCompleted)
                {
                    // Nothing else to run: a slow stream's partial chunk goes now rather than when it fills.
                    stream?.RequestFlush();
                }

                PreparedChunk? chunk = await ahead.ConfigureAwait(false);
                if (chunk is null)
                {
                    yield break;
                }

                stream?.ClearFlush();
                ahead = ReadAndPrepare();
                try
                {
                    await ExecuteChunkAsync(chunk, settings, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    chunk.ReleaseBuffers();
                }

                yield return chunk;
            }
        }
        finally
        {
            if (!ahead.IsCompleted || ahead.IsCompletedSuccessfully)
            {
                // Abandoned (an error, cancellation, or the consumer stopped): return the next chunk's buffers once it
                // is ready, without waiting for a stream that may never produce it.
                _ = ahead.ContinueWith(static t => t.Result?.ReleaseBuffers(), CancellationToken.None,
                    TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Tokenizes the chunk's texts and preprocesses its images; inputs that fail get their result here.</summary>
    private PreparedChunk PrepareChunk(int offset, EmbeddingInput[] inputs, RequestSettings settings, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var chunk = new PreparedChunk(offset, inputs);
        var texts = new List<TextItem>();
        var images = new List<int>();
        for (int i = 0; i < inputs.Length; i++)
        {
            EmbeddingInput input = inputs[i];
            if (input.Kind == EmbeddingInputKind.Text)
            {
                if (_text is null)
                {
                    Fail(chunk, i, Unsupported(input));
                    continue;
                }

                try
                {
                    texts.Add(_text.Encode(i, input.Text!, settings.Prompt, input.ToString()));
                }
                catch (EmbeddingInputException ex)
                {
                    Fail(chunk, i, ex);
                }
                catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
                {
                    Fail(chunk, i, new EmbeddingInputException(EmbeddingInputError.Invalid, input.ToString(), $"the text could not be tokenized: {ex.Message}", ex));
                }
            }
            else if (_image is null)
            {
                Fail(chunk, i, Unsupported(input));
            }
            else
            {
                images.Add(i);
            }
        }

        // Shortest first, so each batch pads to a length close to its own texts'.
        texts.Sort(static (a, b) => a.Length != b.Length ? a.Length.CompareTo(b.Length) : a.Index.CompareTo(b.Index));
        chunk.Texts = [.. texts];
        if (images.Count > 0)
        {
            PrepareImages(chunk, images, cancellationToken);
        }

        return chunk;
    }

    private void PrepareImages(PreparedChunk chunk, List<int> images, CancellationToken cancellationToken)
    {
        ImagePreprocessor source = _image!.Preprocessor;
        int length = source.TensorLength;
        float[] pixels = ArrayPool<float>.Shared.Rent(images.Count * length);
        try
        {
            EmbeddingInput[] inputs = [.. images.Select(i => chunk.Inputs[i])];
            IReadOnlyList<EmbeddingInputException?> errors = source.PreprocessBatch(
                inputs, pixels.AsMemory(0, images.Count * length), _options.PreprocessingParallelism, cancellationToken);

            // Failed images leave the batch: the tensors of the others move down over their slots.
            var slots = new List<int>(images.Count);
            for (int k = 0; k < images.Count; k++)
            {
                if (errors[k] is { } error)
                {
                    Fail(chunk, images[k], error);
                    continue;
                }

                if (slots.Count != k)
                {
                    pixels.AsSpan(k * length, length).CopyTo(pixels.AsSpan(slots.Count * length, length));
                }

                slots.Add(images[k]);
            }

            chunk.ImageSlots = [.. slots];
            chunk.Pixels = pixels;
        }
        catch
        {
            ArrayPool<float>.Shared.Return(pixels);
            throw;
        }
    }

    private async Task ExecuteChunkAsync(PreparedChunk chunk, RequestSettings settings, CancellationToken cancellationToken)
    {
        TextItem[] texts = chunk.Texts;
        int batchSize = _options.TextBatchSize;
        for (int start = 0; start < texts.Length; start += batchSize)
        {
            int first = start;
            int count = Math.Min(batchSize, texts.Length - start);
            int positions = _text!.PadToMaxLength ? _text.MaxLength!.Value : texts[first + count - 1].Length;
            await RunBatchAsync(chunk, settings, TextModality, count, positions,
                (from, n) => _text.Run(texts.AsSpan(first + from, n), cancellationToken),
                k => texts[first + k].Index, cancellationToken).ConfigureAwait(false);
        }

        if (chunk.ImageSlots.Length > 0)
        {
            float[] pixels = chunk.Pixels!;
            int length = _image!.Preprocessor.TensorLength;
            int[] slots = chunk.ImageSlots;
            await RunBatchAsync(chunk, settings, ImageModality, slots.Length, _image.Preprocessor.OutputWidth * _image.Preprocessor.OutputHeight,
                (from, n) => _image.Run(pixels.AsMemory(from * length, n * length), n, cancellationToken),
                k => slots[k], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs one batch in an inference slot and stores its vectors. When the runtime fails on a batch, each input is run
    /// alone so one offending input cannot fail the others.
    /// </summary>
    private async Task RunBatchAsync(
        PreparedChunk chunk,
        RequestSettings settings,
        string modality,
        int count,
        int positions,
        Func<int, int, float[][]> run,
        Func<int, int> slotOf,
        CancellationToken cancellationToken)
    {
        float[][] vectors;
        try
        {
            vectors = await RunInSlotAsync(() => run(0, count), modality, count, positions, cancellationToken).ConfigureAwait(false);
        }
        catch (EmbeddingInferenceException ex) when (!cancellationToken.IsCancellationRequested)
        {
            if (count == 1)
            {
                Fail(chunk, slotOf(0), ex, modality);
                return;
            }

            _logger.BatchFailed(modality, ModelId, count, ex);
            for (int k = 0; k < count; k++)
            {
                try
                {
                    int single = k;
                    float[][] one = await RunInSlotAsync(() => run(single, 1), modality, 1, positions, cancellationToken).ConfigureAwait(false);
                    Store(chunk, slotOf(k), one[0], modality, settings);
                }
                catch (EmbeddingInferenceException alone) when (!cancellationToken.IsCancellationRequested)
                {
                    Fail(chunk, slotOf(k), alone, modality);
                }
            }

            return;
        }

        for (int k = 0; k < count; k++)
        {
            Store(chunk, slotOf(k), vectors[k], modality, settings);
        }
    }

    private async Task<float[][]> RunInSlotAsync(Func<float[][]> run, string modality, int count, int positions, CancellationToken cancellationToken)
    {
        long queued = Stopwatch.GetTimestamp();
        await _inferenceSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        long started = Stopwatch.GetTimestamp();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return run();
        }
        finally
        {
            _inferenceSlots.Release();
            TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
            _telemetry.BatchDuration.Record(elapsed.TotalSeconds,
                new(LocalTelemetry.ProviderTag, LocalOnnxProviderDefaults.ProviderName),
                new(LocalTelemetry.ModelTag, ModelId),
                new(LocalTelemetry.ModalityTag, modality));
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                _logger.BatchCompleted(modality, ModelId, count, positions, elapsed.TotalMilliseconds, Stopwatch.GetElapsedTime(queued, started).TotalMilliseconds);
            }
        }
    }

    private void Store(PreparedChunk chunk, int slot, float[] vector, string modality, RequestSettings settings)
    {
        foreach (float value in vector)
        {
            if (!float.IsFinite(value))
            {
                Fail(chunk, slot, new EmbeddingInferenceException(1,
                    $"Model '{ModelId}' produced a vector with non-finite values for {chunk.Inputs[slot]}."), modality);
                return;
            }
        }

        float[] finished = VectorMath.Finish(vector, settings.Dimensions, settings.Normalize);
        var embedding = new Embedding<float>(finished) { ModelId = ModelId, CreatedAt = DateTimeOffset.UtcNow };
        chunk.Results[slot] = EmbeddingResult.Success(embedding, LocalOnnxProviderDefaults.ProviderName);
        CountItem(modality, "success");
    }

    private void Fail(PreparedChunk chunk, int slot, EmbeddingException error, string? modality = null)
    {
        chunk.Results[slot] = EmbeddingResult.Failure(error, LocalOnnxProviderDefaults.ProviderName);
        CountItem(modality ?? (chunk.Inputs[slot].Kind == EmbeddingInputKind.Text ? TextModality : ImageModality), "failure");
    }

    private void CountItem(string modality, string outcome) =>
        _telemetry.Items.Add(1,
            new(LocalTelemetry.ProviderTag, LocalOnnxProviderDefaults.ProviderName),
            new(LocalTelemetry.ModalityTag, modality),
            new(LocalTelemetry.OutcomeTag, outcome));

    private EmbeddingInputException Unsupported(EmbeddingInput input) =>
        new(EmbeddingInputError.UnsupportedModality, input.ToString(), input.Kind == EmbeddingInputKind.Text
            ? $"model '{ModelId}' embeds images only."
            : $"model '{ModelId}' embeds text only.");
}
