using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Embeddings.Onnx;

/// <summary>
/// An input tensor over managed memory: ONNX Runtime reads the caller's buffer directly (no copy), which stays pinned
/// until the tensor is disposed.
/// </summary>
/// <remarks>
/// Dispose it after the runs that use it: until then the buffer is pinned (which hinders the GC) and must not be
/// changed while a run reads it. One tensor may feed several runs, also at the same time.
/// </remarks>
internal sealed unsafe class OnnxTensor : OrtHandle
{
    // A valid address for empty tensors, which have no element to point at.
    private static readonly long[] s_empty = GC.AllocateArray<long>(1, pinned: true);

    private MemoryHandle _pin;

    private OnnxTensor(OnnxElementType elementType, long elementCount)
    {
        ElementType = elementType;
        ElementCount = elementCount;
    }

    /// <summary>Gets the element type.</summary>
    public OnnxElementType ElementType { get; }

    /// <summary>Gets the number of elements.</summary>
    public long ElementCount { get; }

    /// <summary>Creates a tensor over an array.</summary>
    /// <inheritdoc cref="Create{T}(ReadOnlyMemory{T}, ReadOnlySpan{long})"/>
    public static OnnxTensor Create<T>(T[] data, ReadOnlySpan<long> shape)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        return Create((ReadOnlyMemory<T>)data, shape);
    }

    /// <summary>Creates a tensor over managed (or pooled) memory, pinning it until the tensor is disposed.</summary>
    /// <typeparam name="T"><see cref="float"/>, <see cref="long"/>, <see cref="int"/>, <see cref="Half"/> or
    /// <see cref="bool"/>.</typeparam>
    /// <param name="data">The elements, row-major; exactly as many as the shape holds.</param>
    /// <param name="shape">The dimensions (none for a scalar).</param>
    /// <returns>The tensor; dispose it.</returns>
    /// <remarks>Loads ONNX Runtime (with the default search) if no session has loaded it yet; create the session
    /// first when it names <see cref="OnnxRuntimeOptions.LibraryPath"/>.</remarks>
    /// <exception cref="ArgumentException">The shape has a negative dimension or does not match the data's length.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not a supported element type.</exception>
    /// <exception cref="NativeLibraryException">ONNX Runtime could not be loaded.</exception>
    public static OnnxTensor Create<T>(ReadOnlyMemory<T> data, ReadOnlySpan<long> shape)
        where T : unmanaged
    {
        OnnxElementType elementType = OnnxElementTypes.Of<T>();
        long count = 1;
        foreach (long dim in shape)
        {
            if (dim < 0)
            {
                throw new ArgumentException($"Tensor dimensions must not be negative; the shape is [{string.Join(',', shape.ToArray())}].", nameof(shape));
            }

            count = checked(count * dim);
        }

        if (count != data.Length)
        {
            throw new ArgumentException(
                $"The shape [{string.Join(',', shape.ToArray())}] holds {count} elements but the data has {data.Length}.", nameof(data));
        }

        OnnxRuntime runtime = OnnxRuntime.Get();
        OrtApi api = runtime.Api;
        var tensor = new OnnxTensor(elementType, count);
        MemoryHandle pin = data.Pin();
        try
        {
            void* address = count == 0 ? Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(s_empty)) : pin.Pointer;
            IntPtr value;
            fixed (long* dims = shape)
            {
                IntPtr status = api.CreateTensorWithDataAsOrtValue(runtime.CpuMemoryInfo, address, (nuint)(count * sizeof(T)),
                    dims, (nuint)shape.Length, (int)elementType, &value);
                OrtStatus.ThrowIfFailed(api, status, "creating an input tensor");
            }

            tensor._pin = pin;
            tensor.Attach(value);
            return tensor;
        }
        catch
        {
            pin.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        // The value first: ONNX Runtime may read the buffer until then.
        OnnxRuntime.LoadedApi.ReleaseValue(handle);
        _pin.Dispose();
        return true;
    }
}
