namespace Embeddings.Imaging;

/// <summary>libvips' <c>VipsBandFormat</c>: the sample type of a decoded image.</summary>
internal enum VipsBandFormat
{
    /// <summary>Unsigned 8-bit.</summary>
    UChar = 0,

    /// <summary>Signed 8-bit.</summary>
    Char = 1,

    /// <summary>Unsigned 16-bit.</summary>
    UShort = 2,

    /// <summary>Signed 16-bit.</summary>
    Short = 3,

    /// <summary>Unsigned 32-bit.</summary>
    UInt = 4,

    /// <summary>Signed 32-bit.</summary>
    Int = 5,

    /// <summary>32-bit float.</summary>
    Float = 6,

    /// <summary>Two 32-bit floats.</summary>
    Complex = 7,

    /// <summary>64-bit float.</summary>
    Double = 8,

    /// <summary>Two 64-bit floats.</summary>
    DoubleComplex = 9,
}
