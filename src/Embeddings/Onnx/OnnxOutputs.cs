using System.Buffers;
using System.Runtime.InteropServices;

namespace Embeddings.Onnx;

/// <summary>
/// The outputs of one run, copied out of ONNX Runtime into pooled buffers: read them through <see cref="OnnxOutput"/>
/// views, then dispose this to return the buffers.
/// </summary>
/// <remarks>
/// Spans obtained from an output are valid until this object is disposed; using one afterwards reads memory that may
/// already belong to someone else, and the accessors throw <see cref="ObjectDisposedException"/> once disposed. Not
/// disposing only costs the pool its buffers (the GC collects them); no native memory is held.
/// </remarks>
internal sealed class OnnxOutputs : IDisposable
{
    private readonly int _count;
    private Entry[] _entries;
    private long[] _dims;
    private int _dimsUsed;
    private int _disposed;

    internal OnnxOutputs(int count)
    {
        _count = count;
        _entries = ArrayPool<Entry>.Shared.Rent(Math.Max(count, 1));
        _dims = ArrayPool<long>.Shared.Rent(Math.Max(count * 4, 4));
    }

    /// <summary>Gets the number of outputs.</summary>
    public int Count => _count;

    /// <summary>Gets an output by position (the order of the requested output names).</summary>
    /// <param name="index">The position.</param>
    public OnnxOutput this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _count);
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            return new OnnxOutput(this, index);
        }
    }

    /// <summary>Gets an output by name.</summary>
    /// <param name="name">The output name.</param>
    /// <exception cref="KeyNotFoundException">No output of that name was produced.</exception>
    public OnnxOutput this[string name]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(name);
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            for (int i = 0; i < _count; i++)
            {
                if (string.Equals(_entries[i].Name, name, StringComparison.Ordinal))
                {
                    return new OnnxOutput(this, i);
                }
            }

            throw new KeyNotFoundException(
                $"The run produced no output named '{name}'; it produced: {string.Join(", ", _entries.Take(_count).Select(e => e.Name))}.");
        }
    }

    /// <summary>Returns the buffers to the pool. Safe to call more than once.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        for (int i = 0; i < _count; i++)
        {
            if (_entries[i].Buffer is { } buffer)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        ArrayPool<Entry>.Shared.Return(_entries, clearArray: true);
        ArrayPool<long>.Shared.Return(_dims);
        _entries = [];
        _dims = [];
    }

    /// <summary>Copies one output in.</summary>
    internal void Set(int index, string name, OnnxElementType elementType, ReadOnlySpan<long> shape, long elementCount, ReadOnlySpan<byte> data)
    {
        if (_dimsUsed + shape.Length > _dims.Length)
        {
            long[] larger = ArrayPool<long>.Shared.Rent((_dimsUsed + shape.Length) * 2);
            _dims.AsSpan(0, _dimsUsed).CopyTo(larger);
            ArrayPool<long>.Shared.Return(_dims);
            _dims = larger;
        }

        shape.CopyTo(_dims.AsSpan(_dimsUsed));
        byte[]? buffer = null;
        if (data.Length > 0)
        {
            buffer = ArrayPool<byte>.Shared.Rent(data.Length);
            data.CopyTo(buffer);
        }

        _entries[index] = new Entry(name, elementType, _dimsUsed, shape.Length, elementCount, buffer, data.Length);
        _dimsUsed += shape.Length;
    }

    internal ref readonly Entry EntryAt(int index)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return ref _entries[index];
    }

    internal ReadOnlySpan<long> ShapeOf(in Entry entry) => _dims.AsSpan(entry.DimOffset, entry.Rank);

    [StructLayout(LayoutKind.Auto)]
    internal readonly record struct Entry(
        string Name, OnnxElementType ElementType, int DimOffset, int Rank, long ElementCount, byte[]? Buffer, int ByteLength);
}
