using Microsoft.Extensions.Logging;

namespace Embeddings.Local;

/// <summary>The local provider's log messages. Inputs are never logged.</summary>
internal static partial class LocalLog
{
    [LoggerMessage(EventId = 6000, EventName = "LocalModelLoaded", Level = LogLevel.Information,
        Message = "Loaded model {ModelId} ({Family}, {Variant}) on {ExecutionProvider} with {IntraOpThreads} intra-op thread(s) in {LoadMs}ms: {Dimensions} dimensions, modalities {Modalities}, text output {TextOutput}, image output {ImageOutput}")]
    public static partial void ModelLoaded(this ILogger logger, string modelId, string family, string variant, string executionProvider,
        string intraOpThreads, long loadMs, int dimensions, EmbeddingModalities modalities, string textOutput, string imageOutput);

    [LoggerMessage(EventId = 6001, EventName = "LocalBatchCompleted", Level = LogLevel.Debug,
        Message = "Local {Modality} batch for {ModelId}: {Count} input(s), {Positions} position(s) each, latency={LatencyMs}ms (waited {WaitMs}ms for the inference slot)")]
    public static partial void BatchCompleted(this ILogger logger, string modality, string modelId, int count, int positions, double latencyMs, double waitMs);

    [LoggerMessage(EventId = 6002, EventName = "LocalBatchFailed", Level = LogLevel.Warning,
        Message = "Local {Modality} batch for {ModelId} failed: {Count} input(s); each is retried alone")]
    public static partial void BatchFailed(this ILogger logger, string modality, string modelId, int count, Exception exception);

    [LoggerMessage(EventId = 6003, EventName = "LocalZeroShotHeadLoaded", Level = LogLevel.Information,
        Message = "Zero-shot head of {ModelId}: {Activation}, logit_scale={LogitScale} (x{Scale}), logit_bias={LogitBias}, from {CombinedModel}")]
    public static partial void ZeroShotHeadLoaded(this ILogger logger, string modelId, string activation, double logitScale, double scale, double logitBias, string combinedModel);
}
