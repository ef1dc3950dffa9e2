using System.Runtime.InteropServices;

namespace Embeddings.Onnx;

/// <summary>A view of one output of a run: its name, element type, shape and data.</summary>
/// <remarks>Valid until the <see cref="OnnxOutputs"/> it came from is disposed.</remarks>
internal readonly struct OnnxOutput
{
    private readonly OnnxOutputs _owner;
    private readonly int _index;

    internal OnnxOutput(OnnxOutputs owner, int index)
    {
        _owner = owner;
        _index = index;
    }

    /// <summary>Gets the output name.</summary>
    public string Name => _owner.EntryAt(_index).Name;

    /// <summary>Gets the element type.</summary>
    public OnnxElementType ElementType => _owner.EntryAt(_index).ElementType;

    /// <summary>Gets the concrete shape of this run's output.</summary>
    public ReadOnlySpan<long> Shape => _owner.ShapeOf(in _owner.EntryAt(_index));

    /// <summary>Gets the number of elements.</summary>
    public long ElementCount => _owner.EntryAt(_index).ElementCount;

    /// <summary>Gets the elements, row-major.</summary>
    /// <typeparam name="T">The .NET type of <see cref="ElementType"/>.</typeparam>
    /// <returns>The data, valid until the outputs are disposed.</returns>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> is not the output's element type.</exception>
    public ReadOnlySpan<T> GetData<T>()
        where T : unmanaged
    {
        ref readonly OnnxOutputs.Entry entry = ref _owner.EntryAt(_index);
        OnnxElementType wanted = OnnxElementTypes.Of<T>();
        if (wanted != entry.ElementType)
        {
            throw new InvalidOperationException(
                $"Output '{entry.Name}' holds {OnnxElementTypes.Name(entry.ElementType)} elements, not {OnnxElementTypes.Name(wanted)}.");
        }

        return entry.Buffer is null ? [] : MemoryMarshal.Cast<byte, T>(entry.Buffer.AsSpan(0, entry.ByteLength));
    }

    /// <summary>Copies the elements into a new array.</summary>
    /// <typeparam name="T">The .NET type of <see cref="ElementType"/>.</typeparam>
    public T[] ToArray<T>()
        where T : unmanaged => GetData<T>().ToArray();
}
