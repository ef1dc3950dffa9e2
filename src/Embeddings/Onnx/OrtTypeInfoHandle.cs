namespace Embeddings.Onnx;

/// <summary>Owns an <c>OrtTypeInfo</c> while a session's metadata is read.</summary>
internal sealed class OrtTypeInfoHandle : OrtHandle
{
    /// <inheritdoc />
    protected override unsafe bool ReleaseHandle()
    {
        OnnxRuntime.LoadedApi.ReleaseTypeInfo(handle);
        return true;
    }
}
