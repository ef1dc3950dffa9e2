namespace Embeddings.Imaging;

/// <summary>
/// A resampling filter, numbered as Pillow's <c>Image.Resampling</c> and the <c>resample</c> field of
/// <c>preprocessor_config.json</c>.
/// </summary>
public enum ImageResampling
{
    /// <summary>Nearest neighbour (0).</summary>
    Nearest = 0,

    /// <summary>Lanczos, a truncated sinc over 3 lobes (1; Pillow's <c>LANCZOS</c>, formerly <c>ANTIALIAS</c>).</summary>
    Lanczos = 1,

    /// <summary>Bilinear (2), the default of the SigLIP2 fixed-resolution checkpoints.</summary>
    Bilinear = 2,

    /// <summary>Bicubic with a = -0.5 (3), the default of SigLIP and CLIP.</summary>
    Bicubic = 3,

    /// <summary>Box (4).</summary>
    Box = 4,

    /// <summary>Hamming (5).</summary>
    Hamming = 5,
}
