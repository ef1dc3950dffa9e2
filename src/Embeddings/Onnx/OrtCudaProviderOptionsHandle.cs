namespace Embeddings.Onnx;

/// <summary>Owns an <c>OrtCUDAProviderOptionsV2</c> while the CUDA provider is being configured.</summary>
internal sealed class OrtCudaProviderOptionsHandle : OrtHandle
{
    /// <inheritdoc />
    protected override unsafe bool ReleaseHandle()
    {
        OnnxRuntime.LoadedApi.ReleaseCudaProviderOptions(handle);
        return true;
    }
}
