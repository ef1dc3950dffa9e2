using System.Text;

namespace Embeddings.Models;

/// <summary>Builds small model file sets in the hub layouts (configs as the exporters write them; ONNX files are opaque
/// bytes, since this component never runs them).</summary>
internal static class ModelFiles
{
    public const string SiglipConfig = """
        {
          "architectures": ["SiglipModel"],
          "initializer_factor": 1.0,
          "model_type": "siglip",
          "text_config": {
            "hidden_size": 32, "intermediate_size": 64, "max_position_embeddings": 64, "model_type": "siglip_text_model",
            "num_attention_heads": 2, "num_hidden_layers": 2, "projection_size": 32, "vocab_size": 262144
          },
          "vision_config": {
            "hidden_size": 32, "image_size": 224, "intermediate_size": 64, "model_type": "siglip_vision_model",
            "num_attention_heads": 2, "num_hidden_layers": 2, "patch_size": 16
          },
          "transformers_version": "4.49.0"
        }
        """;

    public const string SiglipPreprocessor = """
        {
          "do_normalize": true, "do_rescale": true, "do_resize": true,
          "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5],
          "image_processor_type": "SiglipImageProcessor", "processor_class": "SiglipProcessor",
          "resample": 2, "rescale_factor": 0.00392156862745098, "size": {"height": 224, "width": 224}
        }
        """;

    public const string TokenizerJson = """{"version": "1.0", "model": {"type": "BPE", "vocab": {}, "merges": []}}""";

    public const string TokenizerConfig = """{"model_max_length": 64, "padding_side": "right"}""";

    public const string GemmaConfig = """
        {
          "architectures": ["Gemma3TextModel"], "model_type": "gemma3_text", "hidden_size": 32, "intermediate_size": 48,
          "num_hidden_layers": 2, "num_attention_heads": 2, "num_key_value_heads": 1, "head_dim": 16,
          "max_position_embeddings": 2048, "vocab_size": 262144, "use_bidirectional_attention": true
        }
        """;

    public const string GemmaModules = """
        [
          {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
          {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
          {"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"},
          {"idx": 3, "name": "3", "path": "3_Dense", "type": "sentence_transformers.models.Dense"},
          {"idx": 4, "name": "4", "path": "4_Normalize", "type": "sentence_transformers.models.Normalize"}
        ]
        """;

    public const string MeanPooling = """
        {
          "word_embedding_dimension": 32, "pooling_mode_cls_token": false, "pooling_mode_mean_tokens": true,
          "pooling_mode_max_tokens": false, "pooling_mode_mean_sqrt_len_tokens": false,
          "pooling_mode_weightedmean_tokens": false, "pooling_mode_lasttoken": false, "include_prompt": true
        }
        """;

    public const string GemmaSentenceTransformersConfig = """
        {
          "__version__": {"sentence_transformers": "5.1.0"},
          "prompts": {
            "query": "task: search result | query: ",
            "document": "title: none | text: ",
            "Classification": "task: classification | query: ",
            "STS": "task: sentence similarity | query: "
          },
          "default_prompt_name": null,
          "model_type": "SentenceTransformer",
          "similarity_fn_name": "cosine"
        }
        """;

    /// <summary>A SigLIP dual encoder: config, preprocessor, tokenizer, and the ONNX files named.</summary>
    public static Dictionary<string, byte[]> Siglip(params string[] onnxFiles)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["config.json"] = Utf8(SiglipConfig),
            ["preprocessor_config.json"] = Utf8(SiglipPreprocessor),
            ["tokenizer.json"] = Utf8(TokenizerJson),
            ["tokenizer_config.json"] = Utf8(TokenizerConfig),
            ["special_tokens_map.json"] = Utf8("""{"pad_token": "<pad>"}"""),
        };
        foreach (string onnx in onnxFiles.Length > 0 ? onnxFiles : ["vision_model.onnx", "text_model.onnx", "model.onnx"])
        {
            files["onnx/" + onnx] = Opaque(onnx);
        }

        return files;
    }

    /// <summary>An EmbeddingGemma-like sentence-transformers export: Transformer, mean Pooling, Dense 32→128→32, Normalize.</summary>
    public static Dictionary<string, byte[]> Gemma(params string[] onnxFiles)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["config.json"] = Utf8(GemmaConfig),
            ["modules.json"] = Utf8(GemmaModules),
            ["sentence_bert_config.json"] = Utf8("""{"max_seq_length": 2048, "do_lower_case": false}"""),
            ["config_sentence_transformers.json"] = Utf8(GemmaSentenceTransformersConfig),
            ["1_Pooling/config.json"] = Utf8(MeanPooling),
            ["2_Dense/config.json"] = Utf8("""{"in_features": 32, "out_features": 128, "bias": false, "activation_function": "torch.nn.modules.linear.Identity"}"""),
            ["3_Dense/config.json"] = Utf8("""{"in_features": 128, "out_features": 32, "bias": false, "activation_function": "torch.nn.modules.linear.Identity"}"""),
            ["tokenizer.json"] = Utf8(TokenizerJson),
            ["tokenizer_config.json"] = Utf8("""{"model_max_length": 1000000000000000019884624838656, "add_bos_token": true, "add_eos_token": true}"""),
            ["special_tokens_map.json"] = Utf8("""{"bos_token": "<bos>", "eos_token": "<eos>"}"""),
        };
        foreach (string onnx in onnxFiles.Length > 0 ? onnxFiles : ["model.onnx"])
        {
            files["onnx/" + onnx] = Opaque(onnx);
        }

        return files;
    }

    /// <summary>Writes a file set under a new folder.</summary>
    public static string WriteTo(Dictionary<string, byte[]> files, string folder)
    {
        foreach ((string path, byte[] content) in files)
        {
            string full = Path.Combine(folder, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, content);
        }

        return folder;
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Distinct bytes per file name, so a wrong file is noticed.</summary>
    public static byte[] Opaque(string name, int length = 3000)
    {
        var bytes = new byte[length];
        new Random(name.Aggregate(length, (h, c) => unchecked((h * 31) + c))).NextBytes(bytes);
        return bytes;
    }
}
