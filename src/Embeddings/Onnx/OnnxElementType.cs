namespace Embeddings.Onnx;

/// <summary>Tensor element types, with ONNX's <c>TensorProto.DataType</c> values.</summary>
internal enum OnnxElementType
{
    /// <summary>Not a tensor, or a type ONNX Runtime did not report.</summary>
    Undefined = 0,

    /// <summary>32-bit float (<see cref="float"/>).</summary>
    Float = 1,

    /// <summary>Unsigned byte.</summary>
    UInt8 = 2,

    /// <summary>Signed byte.</summary>
    Int8 = 3,

    /// <summary>Unsigned 16-bit integer.</summary>
    UInt16 = 4,

    /// <summary>Signed 16-bit integer.</summary>
    Int16 = 5,

    /// <summary>32-bit integer (<see cref="int"/>).</summary>
    Int32 = 6,

    /// <summary>64-bit integer (<see cref="long"/>).</summary>
    Int64 = 7,

    /// <summary>String (not supported by this binding's tensors).</summary>
    String = 8,

    /// <summary>Boolean, one byte each (<see cref="bool"/>).</summary>
    Bool = 9,

    /// <summary>16-bit IEEE float (<see cref="Half"/>).</summary>
    Float16 = 10,

    /// <summary>64-bit float.</summary>
    Double = 11,

    /// <summary>Unsigned 32-bit integer.</summary>
    UInt32 = 12,

    /// <summary>Unsigned 64-bit integer.</summary>
    UInt64 = 13,

    /// <summary>Complex of two floats.</summary>
    Complex64 = 14,

    /// <summary>Complex of two doubles.</summary>
    Complex128 = 15,

    /// <summary>Brain float 16.</summary>
    BFloat16 = 16,
}
