namespace Embeddings.Onnx;

/// <summary>Owns an <c>OrtSession</c>; <see cref="OnnxSession"/> adds a reference around every run, so disposing during a run releases the session only after it.</summary>
internal sealed class OrtSessionHandle : OrtHandle
{
    /// <inheritdoc />
    protected override unsafe bool ReleaseHandle()
    {
        OnnxRuntime.LoadedApi.ReleaseSession(handle);
        return true;
    }
}
