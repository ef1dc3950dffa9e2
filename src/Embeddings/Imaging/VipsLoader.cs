namespace Embeddings.Imaging;

/// <summary>A libvips buffer loader, identified by the type name <c>vips_foreign_find_load_buffer</c> returns.</summary>
/// <param name="TypeName">The GType name, for example <c>VipsForeignLoadJpegBuffer</c>.</param>
/// <param name="Kind">The format it reads.</param>
internal readonly record struct VipsLoader(string TypeName, ImageFormatKind Kind)
{
    /// <summary>Gets whether images in this format are decoded; the others are refused as unsupported.</summary>
    internal bool IsAccepted => Kind != ImageFormatKind.Other;

    /// <summary>Gets a short name of the format for messages, for example <c>Svg</c> for <c>VipsForeignLoadSvgBuffer</c>.</summary>
    internal string DisplayName
    {
        get
        {
            string name = TypeName.StartsWith("VipsForeignLoad", StringComparison.Ordinal) ? TypeName["VipsForeignLoad".Length..] : TypeName;
            return name.EndsWith("Buffer", StringComparison.Ordinal) ? name[..^"Buffer".Length] : name;
        }
    }

    /// <summary>Classifies a loader. Only loaders for camera and web image formats are accepted: the rest of what
    /// libvips can read (PDF, SVG, ImageMagick, FITS, matrices, ...) is a larger attack surface than an embedding
    /// service needs, and Pillow would not read it the same way.</summary>
    /// <param name="typeName">The loader's type name.</param>
    /// <returns>The loader.</returns>
    internal static VipsLoader FromTypeName(string typeName)
    {
        string name = new VipsLoader(typeName, ImageFormatKind.Other).DisplayName;
        ImageFormatKind kind = name switch
        {
            "Jpeg" => ImageFormatKind.Jpeg,
            "Png" => ImageFormatKind.Png,
            "Webp" => ImageFormatKind.WebP,
            "Gif" or "Nsgif" => ImageFormatKind.Gif,
            "Tiff" => ImageFormatKind.Tiff,
            "Heif" => ImageFormatKind.Heif,
            "Jp2k" => ImageFormatKind.Jpeg2000,
            "Jxl" => ImageFormatKind.JpegXl,
            _ => ImageFormatKind.Other,
        };
        return new VipsLoader(typeName, kind);
    }
}
