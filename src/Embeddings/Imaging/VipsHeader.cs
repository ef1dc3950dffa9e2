namespace Embeddings.Imaging;

/// <summary>What a libvips loader reports about an image before its pixels are decoded.</summary>
/// <param name="Width">The width in pixels.</param>
/// <param name="Height">The height in pixels.</param>
/// <param name="Bands">The number of bands.</param>
/// <param name="Format">The sample type.</param>
/// <param name="Interpretation">The colour space.</param>
internal readonly record struct VipsHeader(int Width, int Height, int Bands, VipsBandFormat Format, VipsInterpretation Interpretation);
