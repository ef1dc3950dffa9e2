using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Embeddings.Models;
using Embeddings.Tokenization;
using Microsoft.Extensions.Logging;

namespace Embeddings.Local;

/// <summary>
/// Embeds texts and images in-process with ONNX Runtime, from models in the layouts the hub publishes: SigLIP and
/// fixed-resolution SigLIP2 or CLIP dual encoders (onnx-community / Xenova exports: separate towers or a combined
/// model), and sentence-transformers exports (EmbeddingGemma, MiniLM and other BERT-likes). Vectors match the Python
/// reference (transformers / sentence-transformers with Pillow preprocessing).
/// </summary>
/// <remarks>
/// <para><b>Semantics.</b> SigLIP texts are always padded to 64 tokens (the tower pools the last position, so any
/// other padding would make a vector depend on its neighbours). sentence-transformers models use the graph's
/// <c>sentence_embedding</c> output when it has one, else pool <c>last_hidden_state</c> as <c>1_Pooling</c> says and
/// apply the Dense and Normalize modules of <c>modules.json</c>. Texts longer than the model's maximum
/// (<c>max_seq_length</c>, 64 for SigLIP) are truncated keeping the special tokens. Prompts
/// (<see cref="EmbeddingRequestOptions.PromptName"/>) come from <c>config_sentence_transformers.json</c>, apply to
/// texts only, and <c>default_prompt_name</c> applies when a call names none. Vectors are L2-normalized unless a call
/// or <see cref="LocalOnnxProviderOptions.Normalize"/> says otherwise; <see cref="EmbeddingRequestOptions.Dimensions"/>
/// keeps the first values and re-normalizes (Matryoshka). Any size up to the model's is accepted, but only models
/// trained for it give meaningful shorter vectors: EmbeddingGemma was trained at 768, 512, 256 and 128.</para>
/// <para><b>Throughput.</b> Inputs go through a two-stage pipeline: while one chunk runs in ONNX Runtime, the next is
/// tokenized (texts, sorted by length so batches pad little) or decoded and preprocessed (images). A vector never
/// depends on its batch neighbours or on the batch size. Memory stays bounded for streams of any length
/// (<see cref="EmbedStreamAsync"/>).</para>
/// <para><b>Errors.</b> A bad input (an undecodable image, a text over the limit with truncation off, an image sent to
/// a text-only model) fails alone with an <see cref="EmbeddingInputException"/> naming it; the rest of the call goes
/// on. Cancellation stops a running model between two operators.</para>
/// <para><b>Threads.</b> Safe for concurrent use. The sessions are created once. Model runs are limited to
/// <see cref="LocalOnnxProviderOptions.MaxConcurrentInferences"/> at a time across callers. Disposing the provider
/// releases the native sessions once running calls have returned.</para>
/// </remarks>
public sealed partial class LocalOnnxProvider : IEmbeddingProvider
{
    private readonly ModelDescription _description;
    private readonly LocalOnnxProviderOptions _options;
    private readonly ILogger _logger;
    private readonly ModelResolver _resolver;
    private readonly LocalTelemetry _telemetry;
    private readonly TextEncoder? _text;
    private readonly ImageEncoder? _image;
    private readonly IReadOnlyDictionary<string, string> _prompts;
    private readonly SemaphoreSlim _inferenceSlots;
    private volatile bool _disposed;

    private LocalOnnxProvider(
        ModelDescription description,
        LocalOnnxProviderOptions options,
        ILogger logger,
        ModelResolver resolver,
        LocalTelemetry telemetry,
        TextEncoder? text,
        ImageEncoder? image,
        int dimensions)
    {
        _description = description;
        _options = options;
        _logger = logger;
        _resolver = resolver;
        _telemetry = telemetry;
        _text = text;
        _image = image;
        _prompts = description.SentenceTransformer?.Prompts ?? new Dictionary<string, string>();
        _inferenceSlots = new SemaphoreSlim(options.MaxConcurrentInferences, options.MaxConcurrentInferences);
        EmbeddingModalities modalities = (text is null ? EmbeddingModalities.None : EmbeddingModalities.Text)
            | (image is null ? EmbeddingModalities.None : EmbeddingModalities.Image);
        Metadata = new EmbeddingProviderMetadata(
            LocalOnnxProviderDefaults.ProviderName,
            DisplayId(description.ModelId),
            dimensions,
            modalities,
            [.. _prompts.Keys],
            providerUri: null,
            modelRevision: description.Revision);
    }

    /// <inheritdoc />
    /// <remarks>The model id is the hub id, or the folder's name for a local folder; the revision is the hub commit,
    /// or a hash of the folder's files.</remarks>
    public EmbeddingProviderMetadata Metadata { get; }

    private string ModelId => Metadata.ModelId;

    /// <summary>Loads a model from a local folder, synchronously.</summary>
    /// <param name="modelFolder">A folder in one of the supported hub layouts.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults; copied.</param>
    /// <param name="loggerFactory">A logger factory, or <see langword="null"/> for no logging.</param>
    /// <param name="meterFactory">Creates the <c>Embeddings</c> meter the metrics are recorded on, or
    /// <see langword="null"/> for a meter shared by the process.</param>
    /// <returns>The provider; dispose it.</returns>
    /// <exception cref="ArgumentException">The options are invalid (the message lists every problem).</exception>
    /// <exception cref="EmbeddingModelException">The folder does not exist, its layout is not supported, or its
    /// graphs lack what the layout needs; the message says what.</exception>
    /// <exception cref="NativeLibraryException">ONNX Runtime (or libvips, for an image model) cannot be loaded.</exception>
    public static LocalOnnxProvider Create(
        string modelFolder, LocalOnnxProviderOptions? options = null, ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelFolder);
        if (!Directory.Exists(modelFolder))
        {
            throw new EmbeddingModelException(modelFolder,
                $"The model folder '{modelFolder}' does not exist. Create loads local folders; use CreateAsync for hub ids.");
        }

        (LocalOnnxProviderOptions snapshot, ILogger logger, ModelResolver resolver) = Prepare(options, loggerFactory);
        long started = System.Diagnostics.Stopwatch.GetTimestamp();

        // A folder resolves without any asynchronous I/O, so this completes at once.
        Task<ModelDescription> resolving = resolver.ResolveAsync(modelFolder, snapshot.ModelSource, snapshot.LoadZeroShotHead, CancellationToken.None);
        ModelDescription description = resolving.IsCompleted
            ? resolving.GetAwaiter().GetResult()
            : throw new InvalidOperationException("A local folder did not resolve synchronously.");
        return Load(description, snapshot, logger, resolver, LocalTelemetry.For(meterFactory), started);
    }

    /// <summary>Loads a model from a local folder or the hub (downloading missing files into the hub cache).</summary>
    /// <param name="modelOrId">A folder, or a hub id such as <c>onnx-community/embeddinggemma-300m-ONNX</c>.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults; copied.</param>
    /// <param name="loggerFactory">A logger factory, or <see langword="null"/> for no logging.</param>
    /// <param name="meterFactory">Creates the <c>Embeddings</c> meter the metrics are recorded on, or
    /// <see langword="null"/> for a meter shared by the process.</param>
    /// <param name="cancellationToken">Cancels resolving and downloading.</param>
    /// <returns>The provider; dispose it.</returns>
    /// <exception cref="ArgumentException">The options are invalid (the message lists every problem).</exception>
    /// <exception cref="EmbeddingModelException">The model cannot be found, downloaded or used; the message says why.</exception>
    /// <exception cref="NativeLibraryException">ONNX Runtime (or libvips, for an image model) cannot be loaded.</exception>
    public static async Task<LocalOnnxProvider> CreateAsync(
        string modelOrId,
        LocalOnnxProviderOptions? options = null,
        ILoggerFactory? loggerFactory = null,
        IMeterFactory? meterFactory = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelOrId);
        (LocalOnnxProviderOptions snapshot, ILogger logger, ModelResolver resolver) = Prepare(options, loggerFactory);
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        ModelDescription description = await resolver.ResolveAsync(modelOrId, snapshot.ModelSource, snapshot.LoadZeroShotHead, cancellationToken)
            .ConfigureAwait(false);

        // Creating sessions parses and optimizes the graphs: CPU work, kept off the caller's thread.
        LocalTelemetry telemetry = LocalTelemetry.For(meterFactory);
        return await Task.Run(() => Load(description, snapshot, logger, resolver, telemetry, started), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<EmbeddingResult>> EmbedAsync(
        IReadOnlyList<EmbeddingInput> inputs, EmbeddingRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ObjectDisposedException.ThrowIf(_disposed, this);
        for (int i = 0; i < inputs.Count; i++)
        {
            if (inputs[i] is null)
            {
                throw new ArgumentNullException(nameof(inputs), $"Input {i} is null.");
            }
        }

        RequestSettings settings = Resolve(options);
        cancellationToken.ThrowIfCancellationRequested();
        return EmbedCoreAsync(inputs, settings, cancellationToken);
    }

    /// <summary>
    /// Embeds an input stream of any length, yielding one result per input in input order. Memory stays bounded:
    /// at most one chunk is being read, one prepared (tokenized, or decoded and preprocessed) and one run at a time.
    /// A chunk is cut at a full batch, or earlier when the stream has nothing ready, so slow producers get results
    /// promptly.
    /// </summary>
    /// <param name="inputs">The inputs; enumerated once.</param>
    /// <param name="options">Per-call options, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Stops the enumeration (and a running model).</param>
    /// <returns>The results, in input order.</returns>
    /// <exception cref="ArgumentException">An option is not supported by the model.</exception>
    /// <exception cref="ArgumentNullException">The stream yields a null input.</exception>
    /// <exception cref="ObjectDisposedException">The provider was disposed.</exception>
    public IAsyncEnumerable<EmbeddingResult> EmbedStreamAsync(
        IAsyncEnumerable<EmbeddingInput> inputs, EmbeddingRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ObjectDisposedException.ThrowIf(_disposed, this);
        RequestSettings settings = Resolve(options);
        return StreamCoreAsync(inputs, settings, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Serves this provider (<see cref="LocalOnnxProvider"/>), its <see cref="EmbeddingProviderMetadata"/> and,
    /// for models with a text side, its <see cref="Tokenization.Tokenizer"/>.</remarks>
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        EmbeddingProviderServices.GetOwnService(this, serviceType, serviceKey)
            ?? (serviceKey is null && serviceType == typeof(Tokenizer) ? _text?.Tokenizer : null);

    /// <summary>Releases the ONNX sessions (after any runs in progress).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _text?.Dispose();
        _image?.Dispose();
    }

    /// <summary>Gets the resolved model (for tests and benchmarks).</summary>
    internal ModelDescription Description => _description;

    /// <summary>Gets the text side, or <see langword="null"/> (for tests and benchmarks).</summary>
    internal TextEncoder? Text => _text;

    /// <summary>Gets the image side, or <see langword="null"/> (for tests and benchmarks).</summary>
    internal ImageEncoder? Image => _image;

    /// <summary>Runs the image model on tensors that are already preprocessed (parity tests against tensors made by
    /// Pillow; benchmarks of inference alone).</summary>
    /// <param name="pixels">Consecutive CHW tensors.</param>
    /// <param name="count">How many.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>Per image, the model's raw vector.</returns>
    internal float[][] RunImageTensors(ReadOnlyMemory<float> pixels, int count, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ImageEncoder image = _image ?? throw new InvalidOperationException($"Model '{ModelId}' has no image side.");
        return image.Run(pixels, count, cancellationToken);
    }

    private RequestSettings Resolve(EmbeddingRequestOptions? options)
    {
        string? promptName = options?.PromptName ?? _description.SentenceTransformer?.DefaultPromptName;
        string? prompt = null;
        if (promptName is not null && !_prompts.TryGetValue(promptName, out prompt))
        {
            throw new ArgumentException(_prompts.Count == 0
                ? $"Model '{ModelId}' defines no prompts (config_sentence_transformers.json), so prompt '{promptName}' cannot be applied."
                : $"Model '{ModelId}' has no prompt named '{promptName}'; its prompts are: {string.Join(", ", _prompts.Keys)}.", nameof(options));
        }

        int dimensions = options?.Dimensions ?? Metadata.Dimensions;
        if (dimensions > Metadata.Dimensions)
        {
            throw new ArgumentException(
                $"Model '{ModelId}' produces {Metadata.Dimensions} dimensions; {dimensions} were asked for (Dimensions truncates, it cannot add).", nameof(options));
        }

        return new RequestSettings(prompt, dimensions, options?.Normalize ?? _options.Normalize);
    }

    private async Task<IReadOnlyList<EmbeddingResult>> EmbedCoreAsync(
        IReadOnlyList<EmbeddingInput> inputs, RequestSettings settings, CancellationToken cancellationToken)
    {
        var results = new EmbeddingResult[inputs.Count];
        var chunker = CreateChunker();
        int next = 0;
        ValueTask<(int Offset, EmbeddingInput[] Inputs)?> NextChunk()
        {
            int offset = next;
            while (next < inputs.Count && !chunker.Add(inputs[next++]))
            {
            }

            return ValueTask.FromResult<(int, EmbeddingInput[])?>(chunker.Count == 0 ? null : (offset, chunker.Take()));
        }

        await foreach (PreparedChunk chunk in RunPipelineAsync(NextChunk, null, settings, cancellationToken).ConfigureAwait(false))
        {
            for (int i = 0; i < chunk.Results.Length; i++)
            {
                results[chunk.Offset + i] = chunk.Results[i]!;
            }
        }

        return results;
    }

    private async IAsyncEnumerable<EmbeddingResult> StreamCoreAsync(
        IAsyncEnumerable<EmbeddingInput> inputs, RequestSettings settings, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var source = new StreamChunkSource(inputs, CreateChunker(), cancellationToken);
        await using (source.ConfigureAwait(false))
        {
            await foreach (PreparedChunk chunk in RunPipelineAsync(source.NextAsync, source, settings, cancellationToken).ConfigureAwait(false))
            {
                foreach (EmbeddingResult? result in chunk.Results)
                {
                    yield return result!;
                }
            }
        }
    }

    private InputChunker CreateChunker() =>
        new(_options.ImageBatchSize, _options.TextBatchSize * LocalOnnxProviderDefaults.TextBucketBatches);

    private static string DisplayId(string model)
    {
        if (!Directory.Exists(model))
        {
            return model;
        }

        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(model)));
        return name.Length > 0 ? name : model;
    }
}
