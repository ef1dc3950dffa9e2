namespace Embeddings.Onnx;

/// <summary>Owns the process-wide <c>OrtEnv</c>.</summary>
internal sealed class OrtEnvHandle : OrtHandle
{
    /// <inheritdoc />
    protected override unsafe bool ReleaseHandle()
    {
        OnnxRuntime.LoadedApi.ReleaseEnv(handle);
        return true;
    }
}
