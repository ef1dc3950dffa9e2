using Microsoft.Extensions.Logging;

namespace Embeddings.Onnx;

/// <summary>Log messages of the ONNX Runtime binding (event ids 2000-2099).</summary>
internal static partial class OnnxLog
{
    /// <summary>A line ONNX Runtime itself logged.</summary>
    [LoggerMessage(EventId = 2000, EventName = "OnnxRuntimeMessage", Message = "ONNX Runtime [{Category}]: {RuntimeMessage}")]
    public static partial void RuntimeMessage(ILogger logger, LogLevel level, string category, string runtimeMessage);

    /// <summary>The CUDA execution provider could not be used and the options allow running on the CPU instead.</summary>
    [LoggerMessage(EventId = 2001, EventName = "OnnxCudaFallback", Level = LogLevel.Warning,
        Message = "The CUDA execution provider is not usable for model '{Model}'; running it on the CPU, as OnnxRuntimeOptions.AllowCpuFallback allows. Reason: {Reason}")]
    public static partial void CudaFallback(ILogger logger, string model, string reason);

    /// <summary>A session was created.</summary>
    [LoggerMessage(EventId = 2002, EventName = "OnnxSessionCreated", Level = LogLevel.Debug,
        Message = "ONNX Runtime {Version} loaded model '{Model}' on {Provider} in {ElapsedMs:F1} ms")]
    public static partial void SessionCreated(ILogger logger, string version, string model, OnnxExecutionProvider provider, double elapsedMs);
}
