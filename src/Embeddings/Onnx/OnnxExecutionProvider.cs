namespace Embeddings.Onnx;

/// <summary>Where ONNX Runtime runs a model.</summary>
public enum OnnxExecutionProvider
{
    /// <summary>The CPU (always available).</summary>
    Cpu = 0,

    /// <summary>An NVIDIA GPU through the CUDA execution provider. Needs the GPU build of ONNX Runtime
    /// (<c>libonnxruntime_providers_shared</c> and <c>libonnxruntime_providers_cuda</c> next to the runtime, as the
    /// Microsoft.ML.OnnxRuntime.Gpu package ships them), CUDA 12 and cuDNN 9.</summary>
    Cuda = 1,
}
