namespace Embeddings.Onnx;

/// <summary>Owns an <c>OrtMemoryInfo</c>.</summary>
internal sealed class OrtMemoryInfoHandle : OrtHandle
{
    /// <inheritdoc />
    protected override unsafe bool ReleaseHandle()
    {
        OnnxRuntime.LoadedApi.ReleaseMemoryInfo(handle);
        return true;
    }
}
