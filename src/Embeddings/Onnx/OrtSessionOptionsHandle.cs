namespace Embeddings.Onnx;

/// <summary>Owns an <c>OrtSessionOptions</c> while a session is being created.</summary>
internal sealed class OrtSessionOptionsHandle : OrtHandle
{
    /// <inheritdoc />
    protected override unsafe bool ReleaseHandle()
    {
        OnnxRuntime.LoadedApi.ReleaseSessionOptions(handle);
        return true;
    }
}
