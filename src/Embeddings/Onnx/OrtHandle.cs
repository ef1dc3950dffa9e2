using System.Runtime.InteropServices;

namespace Embeddings.Onnx;

/// <summary>
/// The base of every handle to an ONNX Runtime object this binding creates: the object is released exactly once,
/// when the handle is disposed or finalized, and never while a call that added a reference is still using it.
/// </summary>
/// <remarks>
/// Create the handle object before the native object, then <see cref="SafeHandle.SetHandle"/> it right after the
/// native call succeeds, so that nothing can fail in between and leak the native object.
/// </remarks>
internal abstract class OrtHandle : SafeHandle
{
    protected OrtHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Takes ownership of a native object just created.</summary>
    internal void Attach(IntPtr value) => SetHandle(value);
}
