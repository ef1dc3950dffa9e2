namespace Embeddings.Imaging;

public sealed class ImagePreprocessorConfigTests
{
    [Fact]
    public void Parse_SiglipConfig_ReadsEveryField()
    {
        // google/siglip2-base-patch16-224's preprocessor_config.json.
        const string json = """
            {
              "do_convert_rgb": null, "do_normalize": true, "do_rescale": true, "do_resize": true,
              "image_mean": [0.5, 0.5, 0.5], "image_processor_type": "SiglipImageProcessor",
              "image_std": [0.5, 0.5, 0.5], "processor_class": "SiglipProcessor", "resample": 2,
              "rescale_factor": 0.00392156862745098, "size": {"height": 224, "width": 224}
            }
            """;

        ImagePreprocessorConfig config = ImagePreprocessorConfig.Parse(json);

        Assert.Equal("SiglipImageProcessor", config.ImageProcessorType);
        Assert.Equal(ImageResampling.Bilinear, config.Resample);
        Assert.Equal((224, 224), (config.ResizeWidth, config.ResizeHeight));
        Assert.Null(config.ResizeShortestEdge);
        Assert.False(config.DoCenterCrop);
        Assert.Equal(0.00392156862745098, config.RescaleFactor);
        Assert.Equal([0.5, 0.5, 0.5], config.ImageMean);
        Assert.Null(config.DoConvertRgb);
        Assert.Equal((224, 224), (config.OutputWidth, config.OutputHeight));
    }

    [Fact]
    public void Parse_LegacyClipConfig_AppliesClipDefaults()
    {
        // openai/clip-vit-base-patch32's file: ints for size and crop_size, and no mean/std given here.
        const string json = """{"crop_size": 224, "do_center_crop": true, "do_normalize": true, "do_resize": true, "feature_extractor_type": "CLIPFeatureExtractor", "resample": 3, "size": 224}""";

        ImagePreprocessorConfig config = ImagePreprocessorConfig.Parse(json);

        Assert.Equal(224, config.ResizeShortestEdge);
        Assert.Null(config.ResizeHeight);
        Assert.Equal((224, 224), (config.CropWidth, config.CropHeight));
        Assert.Equal(ImagePreprocessorConfig.OpenAIClipMean, config.ImageMean);
        Assert.Equal(ImagePreprocessorConfig.OpenAIClipStd, config.ImageStd);
    }

    [Theory]
    // transformers' get_resize_output_image_size: short side to the size, long side int(size * long / short).
    [InlineData(640, 427, 224, 335, 224)]
    [InlineData(427, 640, 224, 224, 335)]
    [InlineData(500, 500, 224, 224, 224)]
    [InlineData(14, 25, 224, 224, 400)]
    [InlineData(1920, 1281, 113, 169, 113)]
    public void ResizeTarget_ShortestEdge_TruncatesTheLongSide(int width, int height, int shortest, int expectedWidth, int expectedHeight)
    {
        var config = new ImagePreprocessorConfig { ResizeShortestEdge = shortest, DoCenterCrop = true, CropHeight = 1, CropWidth = 1 };

        Assert.Equal((expectedWidth, expectedHeight), config.ResizeTarget(width, height));
    }

    [Theory]
    [InlineData("""{"image_processor_type": "Siglip2ImageProcessor", "max_num_patches": 256, "patch_size": 16}""", "NaFlex")]
    [InlineData("""{"image_processor_type": "SiglipImageProcessor", "size": {"longest_edge": 512}}""", "size")]
    [InlineData("""{"image_processor_type": "CLIPImageProcessor", "do_center_crop": false}""", "fixed input size")]
    [InlineData("""{"image_processor_type": "ViTImageProcessor"}""", "size.height")]
    [InlineData("""{"image_processor_type": "SiglipImageProcessor", "image_std": [0.5, 0, 0.5]}""", "standard deviation")]
    [InlineData("""{"image_processor_type": "SiglipImageProcessor", "resample": 7}""", "resample 7")]
    [InlineData("""{"size": "large", "image_processor_type": "SiglipImageProcessor"}""", "size")]
    [InlineData("""[1, 2]""", "not a JSON object")]
    [InlineData("""{"size": {"height": 224, "width": 224},""", "not valid JSON")]
    public void Parse_UnsupportedOrInvalidConfig_ThrowsModelExceptionSayingWhy(string json, string expected)
    {
        var error = Assert.Throws<EmbeddingModelException>(() => ImagePreprocessorConfig.Parse(json, "model/preprocessor_config.json"));

        Assert.Equal("model/preprocessor_config.json", error.Model);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_ThrowsModelException()
    {
        Assert.Throws<EmbeddingModelException>(() => ImagePreprocessorConfig.Load(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "preprocessor_config.json")));
    }
}
