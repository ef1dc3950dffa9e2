using System.Text.Json;

namespace Embeddings.Imaging;

/// <summary>
/// The image preprocessing a model expects, as Hugging Face stores it in <c>preprocessor_config.json</c>: resize,
/// optional center crop, rescale, normalize. Values missing from the file take the defaults of the processor class
/// it names (<c>SiglipImageProcessor</c>, <c>CLIPImageProcessor</c>), as transformers does.
/// </summary>
/// <remarks>
/// The arithmetic follows transformers' Pillow-based ("slow") processors, which are what the Python reference uses
/// by default; the torchvision-based <c>...Fast</c> processors resize differently and are matched only approximately.
/// </remarks>
public sealed class ImagePreprocessorConfig
{
    /// <summary>OpenAI CLIP's per-channel mean, <c>OPENAI_CLIP_MEAN</c> in transformers.</summary>
    public static readonly IReadOnlyList<double> OpenAIClipMean = [0.48145466, 0.4578275, 0.40821073];

    /// <summary>OpenAI CLIP's per-channel standard deviation, <c>OPENAI_CLIP_STD</c> in transformers.</summary>
    public static readonly IReadOnlyList<double> OpenAIClipStd = [0.26862954, 0.26130258, 0.27577711];

    /// <summary>The 0.5 mean and standard deviation of SigLIP (<c>IMAGENET_STANDARD_MEAN</c>/<c>_STD</c>).</summary>
    public static readonly IReadOnlyList<double> StandardHalf = [0.5, 0.5, 0.5];

    /// <summary>Gets the processor class named by the file (<c>image_processor_type</c>, or the older
    /// <c>feature_extractor_type</c>).</summary>
    public string? ImageProcessorType { get; init; }

    /// <summary>Gets whether the image is resized (<c>do_resize</c>).</summary>
    public bool DoResize { get; init; } = true;

    /// <summary>Gets the height to resize to (<c>size.height</c>), when the image is resized to a fixed size.</summary>
    public int? ResizeHeight { get; init; }

    /// <summary>Gets the width to resize to (<c>size.width</c>), when the image is resized to a fixed size.</summary>
    public int? ResizeWidth { get; init; }

    /// <summary>Gets the length the shorter side is resized to, keeping the aspect ratio (<c>size.shortest_edge</c>,
    /// CLIP); the longer side is truncated to an integer as transformers' <c>get_resize_output_image_size</c> does.</summary>
    public int? ResizeShortestEdge { get; init; }

    /// <summary>Gets the resampling filter (<c>resample</c>).</summary>
    public ImageResampling Resample { get; init; } = ImageResampling.Bicubic;

    /// <summary>Gets whether the resized image is center-cropped (<c>do_center_crop</c>), padding with zeros when it
    /// is smaller than the crop, as transformers' <c>center_crop</c> does.</summary>
    public bool DoCenterCrop { get; init; }

    /// <summary>Gets the crop height (<c>crop_size.height</c>).</summary>
    public int? CropHeight { get; init; }

    /// <summary>Gets the crop width (<c>crop_size.width</c>).</summary>
    public int? CropWidth { get; init; }

    /// <summary>Gets whether pixel values are multiplied by <see cref="RescaleFactor"/> (<c>do_rescale</c>).</summary>
    public bool DoRescale { get; init; } = true;

    /// <summary>Gets the rescale factor (<c>rescale_factor</c>), 1/255 by default.</summary>
    public double RescaleFactor { get; init; } = 1 / 255.0;

    /// <summary>Gets whether values are normalized with <see cref="ImageMean"/> and <see cref="ImageStd"/>
    /// (<c>do_normalize</c>).</summary>
    public bool DoNormalize { get; init; } = true;

    /// <summary>Gets the per-channel (R, G, B) mean (<c>image_mean</c>).</summary>
    public IReadOnlyList<double> ImageMean { get; init; } = StandardHalf;

    /// <summary>Gets the per-channel (R, G, B) standard deviation (<c>image_std</c>).</summary>
    public IReadOnlyList<double> ImageStd { get; init; } = StandardHalf;

    /// <summary>Gets the file's <c>do_convert_rgb</c>. Informational: decoded images are always RGB, converted as
    /// transformers' <c>load_image</c> does.</summary>
    public bool? DoConvertRgb { get; init; }

    /// <summary>Gets the output width: the crop width, or the fixed resize width.</summary>
    public int OutputWidth => DoCenterCrop ? CropWidth ?? 0 : ResizeWidth ?? 0;

    /// <summary>Gets the output height: the crop height, or the fixed resize height.</summary>
    public int OutputHeight => DoCenterCrop ? CropHeight ?? 0 : ResizeHeight ?? 0;

    /// <summary>Reads a <c>preprocessor_config.json</c> file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="EmbeddingModelException">The file is missing, is not valid JSON, or describes preprocessing
    /// this library does not implement.</exception>
    public static ImagePreprocessorConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EmbeddingModelException(path, $"The preprocessor configuration '{path}' could not be read: {e.Message}", e);
        }

        return Parse(json, path);
    }

    /// <summary>Parses the JSON of a <c>preprocessor_config.json</c> file.</summary>
    /// <param name="json">The JSON.</param>
    /// <param name="source">Where it came from, for error messages.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="EmbeddingModelException">The JSON is invalid or describes preprocessing this library does not
    /// implement (NaFlex variable-resolution processors, a size given only as <c>longest_edge</c>, ...).</exception>
    public static ImagePreprocessorConfig Parse(string json, string source = "preprocessor_config.json")
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using JsonDocument document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new EmbeddingModelException(source, $"'{source}' is not a JSON object.");
            }

            return FromJson(document.RootElement, source);
        }
        catch (JsonException e)
        {
            throw new EmbeddingModelException(source, $"'{source}' is not valid JSON: {e.Message}", e);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new EmbeddingModelException(source, $"'{source}' has a value of the wrong type: {e.Message}", e);
        }
    }

    /// <summary>Checks that the configuration describes a fixed-size output this library can produce.</summary>
    /// <param name="source">Where it came from, for error messages.</param>
    /// <exception cref="EmbeddingModelException">It does not.</exception>
    public void Validate(string source = "preprocessor configuration")
    {
        string? problem = null;
        if (DoResize && ResizeShortestEdge is null && (ResizeHeight is null || ResizeWidth is null))
        {
            problem = "resizing needs either size.height and size.width or size.shortest_edge";
        }
        else if (DoResize && (ResizeShortestEdge is <= 0 || ResizeHeight is <= 0 || ResizeWidth is <= 0))
        {
            problem = "the resize size must be positive";
        }
        else if (DoCenterCrop && (CropHeight is not > 0 || CropWidth is not > 0))
        {
            problem = "center cropping needs a positive crop_size.height and crop_size.width";
        }
        else if (!DoCenterCrop && !(DoResize && ResizeShortestEdge is null))
        {
            problem = "the output size would depend on each image (no fixed resize and no center crop); models need a fixed input size";
        }
        else if (!Enum.IsDefined(Resample))
        {
            problem = $"resample {(int)Resample} is not a Pillow filter (0 to 5)";
        }
        else if (DoNormalize && (ImageMean.Count != 3 || ImageStd.Count != 3 || ImageStd.Any(s => s == 0)))
        {
            problem = "image_mean and image_std need three values, and no standard deviation may be zero";
        }
        else if (DoRescale && !double.IsFinite(RescaleFactor))
        {
            problem = "rescale_factor must be a finite number";
        }

        if (problem is not null)
        {
            throw new EmbeddingModelException(source, $"The image preprocessing in '{source}' is not supported: {problem}.");
        }
    }

    /// <summary>Computes the size an image is resized to, as transformers does (before any center crop).</summary>
    /// <param name="width">The image width.</param>
    /// <param name="height">The image height.</param>
    /// <returns>The resized width and height.</returns>
    internal (int Width, int Height) ResizeTarget(int width, int height)
    {
        if (!DoResize)
        {
            return (width, height);
        }

        if (ResizeShortestEdge is not int shortest)
        {
            return (ResizeWidth!.Value, ResizeHeight!.Value);
        }

        // get_resize_output_image_size(default_to_square=False): int(size * long / short), a float division truncated.
        (int shortSide, int longSide) = width <= height ? (width, height) : (height, width);
        int newLong = (int)((double)shortest * longSide / shortSide);
        return width <= height ? (shortest, newLong) : (newLong, shortest);
    }

    private static ImagePreprocessorConfig FromJson(JsonElement root, string source)
    {
        string? type = String(root, "image_processor_type") ?? String(root, "feature_extractor_type");
        bool clip = type is not null && (type.StartsWith("CLIP", StringComparison.Ordinal) || type.StartsWith("ChineseCLIP", StringComparison.Ordinal));
        if (type is not null && type.StartsWith("Siglip2", StringComparison.Ordinal) || root.TryGetProperty("max_num_patches", out _))
        {
            throw new EmbeddingModelException(
                source, $"'{source}' describes a NaFlex (variable resolution, patch sequence) processor ({type}); only fixed-resolution processors are supported.");
        }

        int? height = null, width = null, shortest = null;
        if (root.TryGetProperty("size", out JsonElement size) && size.ValueKind != JsonValueKind.Null)
        {
            (height, width, shortest) = ParseSize(size, defaultToSquare: !clip, source);
        }
        else if (clip)
        {
            shortest = 224;
        }
        else if (type is not null && type.StartsWith("Siglip", StringComparison.Ordinal))
        {
            (height, width) = (224, 224);
        }

        int? cropHeight = null, cropWidth = null;
        if (root.TryGetProperty("crop_size", out JsonElement crop) && crop.ValueKind != JsonValueKind.Null)
        {
            (cropHeight, cropWidth, int? cropShortest) = ParseSize(crop, defaultToSquare: true, source);
            if (cropShortest is not null)
            {
                throw new EmbeddingModelException(source, $"'{source}' gives crop_size as shortest_edge, which is not a crop size.");
            }
        }
        else if (clip)
        {
            (cropHeight, cropWidth) = (224, 224);
        }

        var config = new ImagePreprocessorConfig
        {
            ImageProcessorType = type,
            DoResize = Bool(root, "do_resize") ?? true,
            ResizeHeight = height,
            ResizeWidth = width,
            ResizeShortestEdge = shortest,
            Resample = root.TryGetProperty("resample", out JsonElement resample) && resample.ValueKind == JsonValueKind.Number
                ? (ImageResampling)resample.GetInt32()
                : ImageResampling.Bicubic,
            DoCenterCrop = Bool(root, "do_center_crop") ?? clip,
            CropHeight = cropHeight,
            CropWidth = cropWidth,
            DoRescale = Bool(root, "do_rescale") ?? true,
            RescaleFactor = root.TryGetProperty("rescale_factor", out JsonElement factor) && factor.ValueKind == JsonValueKind.Number ? factor.GetDouble() : 1 / 255.0,
            DoNormalize = Bool(root, "do_normalize") ?? true,
            ImageMean = Triple(root, "image_mean") ?? (clip ? OpenAIClipMean : StandardHalf),
            ImageStd = Triple(root, "image_std") ?? (clip ? OpenAIClipStd : StandardHalf),
            DoConvertRgb = Bool(root, "do_convert_rgb"),
        };
        config.Validate(source);
        return config;
    }

    private static (int? Height, int? Width, int? Shortest) ParseSize(JsonElement size, bool defaultToSquare, string source)
    {
        // get_size_dict: an int is a square for most processors and the shortest edge for CLIP.
        if (size.ValueKind == JsonValueKind.Number)
        {
            int value = size.GetInt32();
            return defaultToSquare ? (value, value, null) : (null, null, value);
        }

        if (size.ValueKind == JsonValueKind.Array && size.GetArrayLength() == 2)
        {
            return (size[0].GetInt32(), size[1].GetInt32(), null);
        }

        if (size.ValueKind == JsonValueKind.Object)
        {
            int? height = Int(size, "height");
            int? width = Int(size, "width");
            int? shortest = Int(size, "shortest_edge");
            if (Int(size, "longest_edge") is not null || (height is null != (width is null)) || (shortest is not null && height is not null))
            {
                throw new EmbeddingModelException(source, $"'{source}' has a size ({size.GetRawText()}) that is neither height+width nor shortest_edge.");
            }

            if (height is not null || shortest is not null)
            {
                return (height, width, shortest);
            }
        }

        throw new EmbeddingModelException(source, $"'{source}' has a size this library does not understand: {size.GetRawText()}.");
    }

    private static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool? Bool(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    private static int? Int(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;

    private static double[]? Triple(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out JsonElement v))
        {
            return null;
        }

        return v.ValueKind switch
        {
            JsonValueKind.Number => [v.GetDouble(), v.GetDouble(), v.GetDouble()],
            JsonValueKind.Array => [.. v.EnumerateArray().Select(x => x.GetDouble())],
            _ => null,
        };
    }
}
