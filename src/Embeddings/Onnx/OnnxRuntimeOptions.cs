using System.ComponentModel.DataAnnotations;

namespace Embeddings.Onnx;

/// <summary>
/// How ONNX Runtime is found and how it runs a model: threads, graph optimization, memory arena, session
/// configuration entries and the execution provider.
/// </summary>
/// <remarks>
/// The options are read when a session is created; changing them afterwards does not affect existing sessions.
/// <see cref="LibraryPath"/> matters only for the first session of the process, because a process loads ONNX Runtime
/// once.
/// </remarks>
public sealed class OnnxRuntimeOptions
{
    /// <summary>Gets or sets the ONNX Runtime library file (or the folder holding it) to load.</summary>
    /// <value>
    /// <see langword="null"/> (the default) searches, in order: the <c>EMBEDDINGS_ONNXRUNTIME_PATH</c> environment
    /// variable, the application's folder, its <c>runtimes/&lt;rid&gt;/native/</c> folder (where the
    /// Microsoft.ML.OnnxRuntime package puts the library), then the operating system's library search. When set, only
    /// this location is tried.
    /// </value>
    public string? LibraryPath { get; set; }

    /// <summary>Gets or sets the number of threads one operator may use.</summary>
    /// <value>0 (the default) lets ONNX Runtime choose (one per physical core).</value>
    [Range(0, 1024)]
    public int IntraOpThreads { get; set; }

    /// <summary>Gets or sets the number of threads that run independent nodes at the same time; used only with
    /// <see cref="OnnxExecutionMode.Parallel"/>.</summary>
    /// <value>0 (the default) lets ONNX Runtime choose.</value>
    [Range(0, 1024)]
    public int InterOpThreads { get; set; }

    /// <summary>Gets or sets how much the graph is optimized when the session is created.</summary>
    /// <value><see cref="OnnxGraphOptimizationLevel.All"/>.</value>
    public OnnxGraphOptimizationLevel GraphOptimizationLevel { get; set; } = OnnxGraphOptimizationLevel.All;

    /// <summary>Gets or sets how independent nodes are scheduled.</summary>
    /// <value><see cref="OnnxExecutionMode.Sequential"/>.</value>
    public OnnxExecutionMode ExecutionMode { get; set; } = OnnxExecutionMode.Sequential;

    /// <summary>Gets or sets whether ONNX Runtime keeps freed CPU memory in its own arena for reuse.</summary>
    /// <value>
    /// <see langword="false"/> (the default): with the varying batch sizes and sequence lengths of embedding requests
    /// the arena grows to the largest request ever seen and keeps it until the session is disposed, which costs far
    /// more memory than the run time it saves (see the ONNX Runtime section of benchmarks/README.md).
    /// </value>
    public bool EnableCpuMemoryArena { get; set; }

    /// <summary>Gets the session configuration entries passed to ONNX Runtime as they are, for example
    /// <c>session.intra_op.allow_spinning</c> = <c>0</c> so that idle threads do not spin on a busy machine.</summary>
    /// <remarks>ONNX Runtime accepts unknown keys without complaint; check the spelling against its documentation.</remarks>
    public IDictionary<string, string> SessionConfigEntries { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets or sets where the model runs.</summary>
    /// <value><see cref="OnnxExecutionProvider.Cpu"/>.</value>
    public OnnxExecutionProvider ExecutionProvider { get; set; } = OnnxExecutionProvider.Cpu;

    /// <summary>Gets or sets the GPU used by <see cref="OnnxExecutionProvider.Cuda"/>.</summary>
    /// <value>0.</value>
    [Range(0, 1024)]
    public int CudaDeviceId { get; set; }

    /// <summary>Gets or sets whether a model asked to run on the GPU runs on the CPU instead, with a logged warning,
    /// when the GPU provider cannot be used.</summary>
    /// <value><see langword="false"/>: an unusable GPU provider is an error that says what is missing.</value>
    public bool AllowCpuFallback { get; set; }
}
