namespace Embeddings.Onnx;

/// <summary>Owns the <c>OrtRunOptions</c> of one cancellable run.</summary>
internal sealed class OrtRunOptionsHandle : OrtHandle
{
    /// <inheritdoc />
    protected override unsafe bool ReleaseHandle()
    {
        OnnxRuntime.LoadedApi.ReleaseRunOptions(handle);
        return true;
    }
}
