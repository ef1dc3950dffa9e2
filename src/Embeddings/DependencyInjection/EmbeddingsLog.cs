using Microsoft.Extensions.Logging;

namespace Embeddings.DependencyInjection;

/// <summary>The start-up and model-loading messages of <c>AddEmbeddings()</c>. Never logs an API key or an input.</summary>
internal static partial class EmbeddingsLog
{
    [LoggerMessage(EventId = 8000, EventName = "VisualEmbeddingModeRemote", Level = LogLevel.Information,
        Message = "Visual embedding mode: REMOTE (model={Model}, url={Url}, protocol={Protocol}, batch_size={BatchSize}, timeout={TimeoutSeconds}s, retries={Retries}; fallback: local model {LocalModel}, loaded {Loading})")]
    public static partial void VisualModeRemote(
        ILogger logger, string model, string url, string protocol, int batchSize, double timeoutSeconds, int retries, string localModel, string loading);

    [LoggerMessage(EventId = 8001, EventName = "VisualEmbeddingModeLocal", Level = LogLevel.Information,
        Message = "Visual embedding mode: LOCAL (model={Model}, batch_size={BatchSize}, loaded {Loading})")]
    public static partial void VisualModeLocal(ILogger logger, string model, int batchSize, string loading);

    [LoggerMessage(EventId = 8002, EventName = "VisualEmbeddingRemoteWithoutKey", Level = LogLevel.Warning,
        Message = "Visual embedding mode is remote but no API key is configured (HUGGINGFACE_API_KEY, HF_TOKEN or Embeddings:Remote:ApiKey): the visual model runs locally")]
    public static partial void RemoteWithoutKey(ILogger logger);

    [LoggerMessage(EventId = 8003, EventName = "VisualEmbeddingRemoteTextOnly", Level = LogLevel.Warning,
        Message = "The remote protocol {Protocol} carries texts only: images are embedded by the local model {LocalModel}. Set Embeddings:Remote:Protocol to InferenceEndpoint or EmbeddingsServer to embed images remotely")]
    public static partial void RemoteTextOnly(ILogger logger, string protocol, string localModel);

    [LoggerMessage(EventId = 8004, EventName = "VisualEmbeddingDisabled", Level = LogLevel.Information,
        Message = "Visual embedding: disabled")]
    public static partial void VisualDisabled(ILogger logger);

    [LoggerMessage(EventId = 8005, EventName = "TextEmbeddingModel", Level = LogLevel.Information,
        Message = "Text embedding mode: LOCAL (model={Model}, batch_size={BatchSize}, loaded {Loading})")]
    public static partial void TextModel(ILogger logger, string model, int batchSize, string loading);

    [LoggerMessage(EventId = 8006, EventName = "TextEmbeddingDisabled", Level = LogLevel.Information,
        Message = "Text embedding: disabled")]
    public static partial void TextDisabled(ILogger logger);

    [LoggerMessage(EventId = 8010, EventName = "EmbeddingModelLoading", Level = LogLevel.Debug,
        Message = "Loading the {Role} model {Model}")]
    public static partial void ModelLoading(ILogger logger, string role, string model);

    [LoggerMessage(EventId = 8011, EventName = "EmbeddingModelLoadFailed", Level = LogLevel.Error,
        Message = "The {Role} model {Model} could not be loaded after {ElapsedMs}ms; calls that need it fail (or fall back) and the next call after {RetryPauseSeconds}s tries again")]
    public static partial void ModelLoadFailed(ILogger logger, string role, string model, long elapsedMs, double retryPauseSeconds, Exception exception);

    [LoggerMessage(EventId = 8012, EventName = "EmbeddingModelLoaded", Level = LogLevel.Debug,
        Message = "The {Role} model {Model} is loaded ({Dimensions} dimensions) after {ElapsedMs}ms")]
    public static partial void ModelLoaded(ILogger logger, string role, string model, int dimensions, long elapsedMs);

    [LoggerMessage(EventId = 8020, EventName = "EmbeddingUsageObserverFailed", Level = LogLevel.Warning,
        Message = "The usage observer {Observer} threw; the record still went to the other observers")]
    public static partial void ObserverFailed(ILogger logger, string observer, Exception exception);
}
