using Embeddings.TestSupport;

namespace Embeddings.Onnx;

/// <summary>Each generated tiny model, loaded through the binding, declares the inputs and outputs that
/// eng/models/README.md documents: names in order, element types, and shapes with symbolic dimension names.</summary>
public sealed class OnnxModelLayoutTests
{
    private const string SiglipVisionIn = "pixel_values: float[batch_size,3,224,224]";
    private const string SiglipVisionOut = "last_hidden_state: float[batch_size,196,32]; pooler_output: float[batch_size,32]";
    private const string SiglipTextIn = "input_ids: int64[batch_size,sequence_length]";
    private const string SiglipTextOut = "last_hidden_state: float[batch_size,sequence_length,24]; pooler_output: float[batch_size,32]";
    private const string GemmaIn = "input_ids: int64[batch_size,sequence_length]; attention_mask: int64[batch_size,sequence_length]";

    public static TheoryData<string, string, string> Layouts() => new()
    {
        { "siglip2/onnx/vision_model.onnx", SiglipVisionIn, SiglipVisionOut },
        { "siglip2/onnx/vision_model_fp16.onnx", SiglipVisionIn, SiglipVisionOut },
        { "siglip2/onnx/vision_model_quantized.onnx", SiglipVisionIn, SiglipVisionOut },
        { "siglip2/onnx/text_model.onnx", SiglipTextIn, SiglipTextOut },
        { "siglip2/onnx/text_model_fp16.onnx", SiglipTextIn, SiglipTextOut },
        { "siglip2/onnx/text_model_quantized.onnx", SiglipTextIn, SiglipTextOut },
        {
            "siglip2/onnx/model.onnx",
            "input_ids: int64[text_batch_size,sequence_length]; pixel_values: float[image_batch_size,3,224,224]",
            "logits_per_image: float[image_batch_size,text_batch_size]; logits_per_text: float[text_batch_size,image_batch_size]; " +
            "text_embeds: float[text_batch_size,32]; image_embeds: float[image_batch_size,32]"
        },
        { "embeddinggemma/onnx/model.onnx", GemmaIn, "last_hidden_state: float[batch_size,sequence_length,32]; sentence_embedding: float[batch_size,32]" },
        { "embeddinggemma-dense/onnx/model.onnx", GemmaIn, "last_hidden_state: float[batch_size,sequence_length,32]" },
        {
            "minilm/onnx/model.onnx",
            "input_ids: int64[batch_size,sequence_length]; attention_mask: int64[batch_size,sequence_length]; token_type_ids: int64[batch_size,sequence_length]",
            "last_hidden_state: float[batch_size,sequence_length,32]"
        },
        { "clip/onnx/vision_model.onnx", "pixel_values: float[batch_size,3,224,224]", "image_embeds: float[batch_size,24]; last_hidden_state: float[batch_size,50,32]" },
        { "clip/onnx/text_model.onnx", GemmaIn, "text_embeds: float[batch_size,24]; last_hidden_state: float[batch_size,sequence_length,40]" },
        {
            "clip/onnx/model.onnx",
            "input_ids: int64[text_batch_size,sequence_length]; pixel_values: float[image_batch_size,3,224,224]; attention_mask: int64[text_batch_size,sequence_length]",
            "logits_per_image: float[image_batch_size,text_batch_size]; logits_per_text: float[text_batch_size,image_batch_size]; " +
            "text_embeds: float[text_batch_size,24]; image_embeds: float[image_batch_size,24]"
        },
        {
            "ort-dtypes/model.onnx",
            "float_input: float[batch_size,4]; int64_input: int64[batch_size,4]; int32_input: int32[batch_size,4]; float16_input: float16[batch_size,4]; bool_input: bool[batch_size,4]",
            "float_output: float[batch_size,4]; int64_output: int64[batch_size,4]; int32_output: int32[batch_size,4]; float16_output: float16[batch_size,4]; " +
            "bool_output: bool[batch_size,4]; sum_output: float[batch_size,4]; matmul_output: float[batch_size,3]; column_sum_output: float[4]; total_output: float[]"
        },
        { "ort-slow/model.onnx", "x: float[n,512]", "y: float[n,512]" },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Create_GeneratedTinyModel_DeclaresTheDocumentedInputsAndOutputs(string model, string inputs, string outputs)
    {
        using OnnxSession session = OnnxSession.Create(OnnxTestModels.Tiny(model), OnnxTestModels.Options());

        Assert.Equal(inputs, string.Join("; ", session.Inputs));
        Assert.Equal(outputs, string.Join("; ", session.Outputs));
        Assert.All(session.Inputs.Concat(session.Outputs), info =>
        {
            Assert.True(info.IsTensor);
            for (int d = 0; d < info.Rank; d++)
            {
                // Dynamic dimensions are -1 with a name; fixed ones have no name.
                Assert.Equal(info.Shape[d] < 0, info.DimensionNames[d].Length > 0);
                Assert.True(info.Shape[d] is -1 or >= 0);
            }
        });
    }

    [Fact]
    public void Layouts_CoverEveryGeneratedTinyModel()
    {
        string root = Path.Combine(TestAssets.RepoRoot, "artifacts", "models", "tiny");
        string[] onDisk = Directory.EnumerateFiles(root, "*.onnx", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/')).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(onDisk, Layouts().Select(row => row.Data.Item1).Order(StringComparer.Ordinal));
    }
}
