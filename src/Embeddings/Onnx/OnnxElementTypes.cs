namespace Embeddings.Onnx;

/// <summary>Maps .NET element types to <see cref="OnnxElementType"/> and names types for messages.</summary>
internal static class OnnxElementTypes
{
    /// <summary>Gets the element type of <typeparamref name="T"/>: one of the types this binding's tensors carry
    /// (<see cref="float"/>, <see cref="long"/>, <see cref="int"/>, <see cref="Half"/>, <see cref="bool"/>).</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is another type.</exception>
    public static OnnxElementType Of<T>()
        where T : unmanaged
    {
        // Each branch is a JIT-time constant for a given T.
        if (typeof(T) == typeof(float))
        {
            return OnnxElementType.Float;
        }

        if (typeof(T) == typeof(long))
        {
            return OnnxElementType.Int64;
        }

        if (typeof(T) == typeof(int))
        {
            return OnnxElementType.Int32;
        }

        if (typeof(T) == typeof(Half))
        {
            return OnnxElementType.Float16;
        }

        if (typeof(T) == typeof(bool))
        {
            return OnnxElementType.Bool;
        }

        throw new NotSupportedException($"Tensors of {typeof(T).Name} are not supported; use float, long, int, Half or bool.");
    }

    /// <summary>Gets whether this binding can read and write tensors of the type.</summary>
    public static bool IsSupported(OnnxElementType type) =>
        type is OnnxElementType.Float or OnnxElementType.Int64 or OnnxElementType.Int32 or OnnxElementType.Float16 or OnnxElementType.Bool;

    /// <summary>Gets the size of one element in bytes, or 0 for a type without a fixed size.</summary>
    public static int SizeOf(OnnxElementType type) => type switch
    {
        OnnxElementType.Float or OnnxElementType.Int32 or OnnxElementType.UInt32 => 4,
        OnnxElementType.Int64 or OnnxElementType.UInt64 or OnnxElementType.Double or OnnxElementType.Complex64 => 8,
        OnnxElementType.Float16 or OnnxElementType.Int16 or OnnxElementType.UInt16 or OnnxElementType.BFloat16 => 2,
        OnnxElementType.Bool or OnnxElementType.Int8 or OnnxElementType.UInt8 => 1,
        OnnxElementType.Complex128 => 16,
        _ => 0,
    };

    /// <summary>Gets the name ONNX uses for the type (<c>float</c>, <c>int64</c>, ...).</summary>
    public static string Name(OnnxElementType type) => type switch
    {
        OnnxElementType.Float => "float",
        OnnxElementType.UInt8 => "uint8",
        OnnxElementType.Int8 => "int8",
        OnnxElementType.UInt16 => "uint16",
        OnnxElementType.Int16 => "int16",
        OnnxElementType.Int32 => "int32",
        OnnxElementType.Int64 => "int64",
        OnnxElementType.String => "string",
        OnnxElementType.Bool => "bool",
        OnnxElementType.Float16 => "float16",
        OnnxElementType.Double => "double",
        OnnxElementType.UInt32 => "uint32",
        OnnxElementType.UInt64 => "uint64",
        OnnxElementType.Complex64 => "complex64",
        OnnxElementType.Complex128 => "complex128",
        OnnxElementType.BFloat16 => "bfloat16",
        _ => "undefined",
    };
}
