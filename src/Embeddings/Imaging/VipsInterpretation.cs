namespace Embeddings.Imaging;

/// <summary>libvips' <c>VipsInterpretation</c> values this library distinguishes.</summary>
internal enum VipsInterpretation
{
    /// <summary>Generic multi-band data.</summary>
    Multiband = 0,

    /// <summary>Greyscale.</summary>
    BW = 1,

    /// <summary>A histogram.</summary>
    Histogram = 10,

    /// <summary>CIE XYZ.</summary>
    Xyz = 12,

    /// <summary>CIE Lab (float).</summary>
    Lab = 13,

    /// <summary>CMYK.</summary>
    Cmyk = 15,

    /// <summary>CIE Lab packed in 32 bits.</summary>
    LabQ = 16,

    /// <summary>Linear RGB.</summary>
    Rgb = 17,

    /// <summary>CMC.</summary>
    Cmc = 18,

    /// <summary>CIE LCh.</summary>
    Lch = 19,

    /// <summary>CIE Lab (signed 16-bit).</summary>
    LabS = 21,

    /// <summary>sRGB.</summary>
    Srgb = 22,

    /// <summary>CIE Yxy.</summary>
    Yxy = 23,

    /// <summary>A Fourier transform.</summary>
    Fourier = 24,

    /// <summary>16-bit RGB.</summary>
    Rgb16 = 25,

    /// <summary>16-bit greyscale.</summary>
    Grey16 = 26,

    /// <summary>A matrix.</summary>
    Matrix = 27,

    /// <summary>Linear scRGB.</summary>
    ScRgb = 28,

    /// <summary>HSV.</summary>
    Hsv = 29,
}
