namespace Embeddings.Imaging;

/// <summary>Which implementation of the resampling passes runs. All give the same bytes; tests run each.</summary>
internal enum ResampleCode
{
    /// <summary>The fastest the processor supports: AVX2, else 128-bit vectors (SSE4.1, Arm AdvSIMD), else scalar.</summary>
    Auto,

    /// <summary>256-bit AVX2 kernels (x64).</summary>
    Avx2,

    /// <summary>Portable 128-bit vector kernels.</summary>
    Vector128,

    /// <summary>Plain integer loops, Pillow's own order of operations.</summary>
    Scalar,
}
