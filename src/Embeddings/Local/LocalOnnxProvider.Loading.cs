using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Embeddings.Imaging;
using Embeddings.Models;
using Embeddings.Onnx;
using Embeddings.Tokenization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Embeddings.Local;

/// <summary>Loading: options, sessions, tokenizer and preprocessing.</summary>
public sealed partial class LocalOnnxProvider
{
    private const string SpinningKey = "session.intra_op.allow_spinning";

    private static (LocalOnnxProviderOptions Options, ILogger Logger, ModelResolver Resolver) Prepare(
        LocalOnnxProviderOptions? options, ILoggerFactory? loggerFactory)
    {
        LocalOnnxProviderOptions snapshot = options?.Clone() ?? new LocalOnnxProviderOptions();

        // Idle intra-op threads sleep rather than spin: the next batch is decoded on another thread meanwhile, and
        // spinning threads take its core (measured in benchmarks/README.md). An explicit setting wins.
        snapshot.Runtime.SessionConfigEntries.TryAdd(SpinningKey, "0");
        ValidateOptionsResult validation = new LocalOnnxProviderOptionsValidator().Validate(null, snapshot);
        if (validation.Failed)
        {
            throw new ArgumentException($"Invalid local provider options: {validation.FailureMessage}", nameof(options));
        }

        ILogger logger = loggerFactory?.CreateLogger<LocalOnnxProvider>() ?? (ILogger)NullLogger.Instance;
        return (snapshot, logger, new ModelResolver(logger: logger));
    }

    private static LocalOnnxProvider Load(
        ModelDescription description, LocalOnnxProviderOptions options, ILogger logger, ModelResolver resolver, LocalTelemetry telemetry, long started)
    {
        bool stFamily = description.Family == ModelFamily.SentenceTransformer;
        EmbeddingModalities wanted = options.Modalities ?? (EmbeddingModalities.Text | EmbeddingModalities.Image);
        OnnxModelFile? textFile = !wanted.HasFlag(EmbeddingModalities.Text) ? null : description.TextEncoder ?? (stFamily ? null : description.CombinedModel);
        OnnxModelFile? imageFile = !wanted.HasFlag(EmbeddingModalities.Image) ? null : description.ImageEncoder ?? (stFamily ? null : description.CombinedModel);
        bool shared = textFile is not null && ReferenceEquals(textFile, imageFile);

        OnnxSession? textSession = null;
        OnnxSession? imageSession = null;
        Tokenizer? tokenizer = null;
        ImagePreprocessor? pixels = null;
        TextEncoder? text = null;
        ImageEncoder? image = null;
        try
        {
            // The graphs load in parallel: parsing and optimizing them is most of the load time.
            var work = new List<Action>();
            if (textFile is not null)
            {
                work.Add(() => textSession = OnnxSession.Create(textFile.Path, options.Runtime, logger));
                work.Add(() => tokenizer = LoadTokenizer(description));
            }

            if (imageFile is not null)
            {
                if (!shared)
                {
                    work.Add(() => imageSession = OnnxSession.Create(imageFile.Path, options.Runtime, logger));
                }

                work.Add(() => pixels = CreateImageSource(description, options));
            }

            RunAll(work);
            if (shared)
            {
                imageSession = textSession;
            }

            if (textSession is not null)
            {
                text = TextEncoder.Create(description, textSession, ownsSession: true, ReferenceEquals(textFile, description.CombinedModel) && !stFamily,
                    tokenizer!, options.TruncateText);
            }

            if (imageSession is not null && pixels is not null)
            {
                image = new ImageEncoder(description, imageSession, ownsSession: !shared, ReferenceEquals(imageFile, description.CombinedModel), pixels);
            }

            if (text is not null && image is not null && text.Dimensions != image.Dimensions)
            {
                throw new EmbeddingModelException(description.ModelId,
                    $"Model '{description.ModelId}': the text vectors have {text.Dimensions} dimensions but the image vectors {image.Dimensions}.");
            }

            int dimensions = text?.Dimensions ?? image?.Dimensions
                ?? throw new EmbeddingModelException(description.ModelId, options.Modalities is { } only && (only & description.Modalities) == 0
                    ? $"Model '{description.ModelId}' embeds {description.Modalities}, not {only} (LocalOnnxProviderOptions.Modalities)."
                    : $"Model '{description.ModelId}' has neither a text nor an image side this library can run.");
            var provider = new LocalOnnxProvider(description, options, logger, resolver, telemetry, text, image, dimensions);
            OnnxSession any = (textSession ?? imageSession)!;
            logger.ModelLoaded(provider.ModelId, description.Family.ToString(), ModelVariantNames.DisplayName(description.Variant),
                any.ExecutionProvider.ToString(), options.Runtime.IntraOpThreads == 0 ? "auto" : options.Runtime.IntraOpThreads.ToString(System.Globalization.CultureInfo.InvariantCulture),
                (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, dimensions, provider.Metadata.Modalities,
                text?.OutputName ?? "-", image?.OutputName ?? "-");

            if (options.LoadZeroShotHead && !stFamily && text is not null && image is not null && description.CombinedModel is not null)
            {
                provider._zeroShotHead = provider.ReadZeroShotHead(description.CombinedModel.Path);
            }

            return provider;
        }
        catch
        {
            if (text is null)
            {
                textSession?.Dispose();
            }

            if (image is null && !shared)
            {
                imageSession?.Dispose();
            }

            text?.Dispose();
            image?.Dispose();
            throw;
        }
    }

    private static Tokenizer LoadTokenizer(ModelDescription description)
    {
        TokenizerFiles files = description.Tokenizer
            ?? throw new EmbeddingModelException(description.ModelId, $"Model '{description.ModelId}' has a text model but no tokenizer.json.");
        return Tokenizer.Create(Path.GetDirectoryName(files.TokenizerJsonPath)!);
    }

    private static void RunAll(List<Action> work)
    {
        try
        {
            Parallel.Invoke(new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) }, [.. work]);
        }
        catch (AggregateException ex)
        {
            // The most informative failure first: a model or library problem over whatever followed from it.
            Exception first = ex.InnerExceptions.FirstOrDefault(e => e is EmbeddingException) ?? ex.InnerExceptions[0];
            ExceptionDispatchInfo.Capture(first).Throw();
        }
    }
}
