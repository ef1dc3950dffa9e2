using System.Text.Json;

namespace Embeddings.Models;

/// <summary>
/// Recognises a model's layout from its files and builds its <see cref="ModelDescription"/>: onnx-community / Xenova
/// dual encoders (SigLIP, fixed-resolution SigLIP2, CLIP) and sentence-transformers exports (EmbeddingGemma,
/// BERT-likes). Configuration files are read first; only then are the ONNX files of the chosen variant fetched, so a
/// hub source downloads nothing the layout does not need.
/// </summary>
internal sealed class ModelLayoutReader
{
    private const string OnnxFolder = "onnx";

    private readonly IModelFileSource _source;
    private readonly ModelVariant _variant;
    private readonly bool _includeCombinedModel;
    private readonly List<string> _files = [];

    public ModelLayoutReader(IModelFileSource source, ModelVariant variant, bool includeCombinedModel)
    {
        _source = source;
        _variant = variant;
        _includeCombinedModel = includeCombinedModel;
    }

    private string Model => _source.ModelName;

    /// <summary>Reads the layout. <see cref="ModelDescription.Revision"/> is left empty for the caller to fill.</summary>
    /// <exception cref="EmbeddingModelException">The layout is unsupported or incomplete; the message says what is missing.</exception>
    public async Task<ModelDescription> ReadAsync(CancellationToken cancellationToken)
    {
        string? modulesFile = await OptionalFileAsync("modules.json", cancellationToken).ConfigureAwait(false);
        IReadOnlyList<JsonConfig>? modules = modulesFile is null ? null : JsonConfig.ParseArray(modulesFile, Model, ModulesDescription);
        // The transformer's folder holds config.json; the module list itself is checked only for sentence-transformers
        // layouts (a CLIP repository may carry a modules.json for sentence-transformers' own CLIP module).
        string transformerPath = modules?.FirstOrDefault(m => m.String("type")?.EndsWith(".Transformer", StringComparison.Ordinal) == true)?.String("path")?.TrimEnd('/') ?? "";
        if (transformerPath.Length > 0)
        {
            HubPaths.ValidateFilePath(Model, transformerPath);
        }

        JsonConfig config = (await ReadJsonAsync(Join(transformerPath, "config.json"), required: false, cancellationToken).ConfigureAwait(false))
            ?? throw new EmbeddingModelException(Model,
                $"No {Join(transformerPath, "config.json")} {_source.Where}: this is not a Hugging Face model folder (or hub repository).");
        string modelType = config.String("model_type") ?? throw config.Error("'model_type' is missing.");

        switch (modelType)
        {
            case "siglip2":
                throw new EmbeddingModelException(Model,
                    $"'{Model}' is a SigLIP2 NaFlex model (model_type 'siglip2', Siglip2ImageProcessor), which is not supported: its ONNX graph " +
                    "takes variable-resolution patch sequences. Use a fixed-resolution SigLIP2 checkpoint (model_type 'siglip'), for example " +
                    "google/siglip2-base-patch16-224.");
            case "siglip" or "siglip_vision_model" or "siglip_text_model" or "clip" or "clip_vision_model" or "clip_text_model":
                return await ReadDualEncoderAsync(config, modelType, cancellationToken).ConfigureAwait(false);
            default:
                if (modules is null)
                {
                    throw new EmbeddingModelException(Model,
                        $"No modules.json {_source.Where}: a '{modelType}' text encoder is loaded as a sentence-transformers model, whose " +
                        "modules.json and 1_Pooling/config.json say how token vectors become one vector. Only SigLIP and CLIP load without them.");
                }

                return await ReadSentenceTransformerAsync(config, modelType, ParseModules(modules), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<ModelDescription> ReadDualEncoderAsync(JsonConfig config, string modelType, CancellationToken cancellationToken)
    {
        bool siglip = modelType.StartsWith("siglip", StringComparison.Ordinal);
        JsonConfig? visionConfig = modelType.EndsWith("_text_model", StringComparison.Ordinal) ? null
            : modelType.EndsWith("_vision_model", StringComparison.Ordinal) ? config : config.Object("vision_config") ?? config.Nested(EmptyObject, "vision_config");
        JsonConfig? textConfig = modelType.EndsWith("_vision_model", StringComparison.Ordinal) ? null
            : modelType.EndsWith("_text_model", StringComparison.Ordinal) ? config : config.Object("text_config") ?? config.Nested(EmptyObject, "text_config");

        (OnnxModelFile? vision, OnnxModelFile? text, OnnxModelFile? combined) =
            await ChooseTowersAsync(visionConfig is not null, textConfig is not null, cancellationToken).ConfigureAwait(false);
        bool hasImage = vision is not null || combined is not null;
        bool hasText = text is not null || combined is not null;

        string? preprocessor = null;
        if (hasImage)
        {
            preprocessor = await RequireFileAsync("preprocessor_config.json", "the image preprocessing settings", cancellationToken).ConfigureAwait(false);
            JsonConfig processor = JsonConfig.Parse(preprocessor, Model, $"'preprocessor_config.json' {_source.Where}");
            string? processorType = processor.String("image_processor_type");
            if (processorType is not null && processorType.StartsWith("Siglip2ImageProcessor", StringComparison.Ordinal))
            {
                throw processor.Error(
                    $"'{processorType}' is SigLIP2's NaFlex (variable-resolution) processor, which is not supported; use a fixed-resolution checkpoint.");
            }
        }

        TokenizerFiles? tokenizer = hasText ? await ReadTokenizerFilesAsync("", cancellationToken).ConfigureAwait(false) : null;

        // Class defaults of transformers' Siglip*/CLIP* configs: Xenova exports often write only non-default values.
        int? textLength = null;
        int? textDims = null;
        if (hasText)
        {
            textLength = textConfig!.Int("max_position_embeddings") ?? (siglip ? 64 : 77);
            textDims = siglip ? textConfig.Int("projection_size") ?? textConfig.Int("hidden_size") ?? 768 : config.Int("projection_dim") ?? 512;
        }

        int? imageDims = null;
        int? imageSize = null;
        if (hasImage)
        {
            imageSize = visionConfig!.Int("image_size") ?? 224;
            imageDims = siglip ? visionConfig.Int("hidden_size") ?? 768 : config.Int("projection_dim") ?? 512;
        }

        if (imageDims is not null && textDims is not null && imageDims != textDims)
        {
            throw config.Error($"the image embedding size ({imageDims}) differs from the text embedding size ({textDims}).");
        }

        return new ModelDescription
        {
            ModelId = Model,
            Folder = _source.Folder!,
            Revision = "",
            Family = siglip ? ModelFamily.Siglip : ModelFamily.Clip,
            ModelType = modelType,
            Variant = _variant,
            ImageEncoder = vision,
            TextEncoder = text,
            CombinedModel = combined,
            Tokenizer = tokenizer,
            PreprocessorConfigPath = preprocessor,
            TextMaxLength = textLength,
            PadTextToMaxLength = siglip && hasText,
            Dimensions = imageDims ?? textDims,
            ImageSize = imageSize,
            Files = [.. _files],
        };
    }

    /// <summary>
    /// Picks <c>onnx/vision_model{v}.onnx</c>, <c>onnx/text_model{v}.onnx</c> and, when asked for or when a tower is
    /// missing, <c>onnx/model{v}.onnx</c>. A tower the model has in other variants but not in the one asked for is an
    /// error listing the variants it has; a tower it has in no variant is simply absent (an image-only export).
    /// </summary>
    private async Task<(OnnxModelFile? Vision, OnnxModelFile? Text, OnnxModelFile? Combined)> ChooseTowersAsync(
        bool wantVision, bool wantText, CancellationToken cancellationToken)
    {
        string visionPath = ModelVariantNames.FilePath(OnnxFolder, "vision_model", _variant);
        string textPath = ModelVariantNames.FilePath(OnnxFolder, "text_model", _variant);
        string combinedPath = ModelVariantNames.FilePath(OnnxFolder, "model", _variant);

        bool hasVision = wantVision && await _source.ExistsAsync(visionPath, cancellationToken).ConfigureAwait(false);
        bool hasText = wantText && await _source.ExistsAsync(textPath, cancellationToken).ConfigureAwait(false);
        bool needCombined = _includeCombinedModel || (wantVision && !hasVision) || (wantText && !hasText);
        bool hasCombined = needCombined && await _source.ExistsAsync(combinedPath, cancellationToken).ConfigureAwait(false);

        if (!hasVision && !hasText && !hasCombined)
        {
            throw await MissingOnnxAsync(["vision_model", "text_model", "model"], cancellationToken).ConfigureAwait(false);
        }

        if (wantVision && !hasVision && !hasCombined && (await PresentVariantsAsync("vision_model", cancellationToken).ConfigureAwait(false)).Count > 0)
        {
            throw await MissingOnnxAsync(["vision_model", "model"], cancellationToken).ConfigureAwait(false);
        }

        if (wantText && !hasText && !hasCombined && (await PresentVariantsAsync("text_model", cancellationToken).ConfigureAwait(false)).Count > 0)
        {
            throw await MissingOnnxAsync(["text_model", "model"], cancellationToken).ConfigureAwait(false);
        }

        OnnxModelFile? vision = hasVision ? await FetchOnnxAsync(visionPath, cancellationToken).ConfigureAwait(false) : null;
        OnnxModelFile? text = hasText ? await FetchOnnxAsync(textPath, cancellationToken).ConfigureAwait(false) : null;
        OnnxModelFile? combined = hasCombined ? await FetchOnnxAsync(combinedPath, cancellationToken).ConfigureAwait(false) : null;
        return (vision, text, combined);
    }

    private async Task<ModelDescription> ReadSentenceTransformerAsync(
        JsonConfig config, string modelType, List<(string Kind, string Path)> modules, CancellationToken cancellationToken)
    {
        string transformerPath = modules[0].Path;
        JsonConfig? bertConfig = await ReadJsonAsync(Join(transformerPath, "sentence_bert_config.json"), required: false, cancellationToken).ConfigureAwait(false);

        PoolingConfig? pooling = null;
        var dense = new List<DenseLayerConfig>();
        bool normalize = false;
        foreach ((string kind, string path) in modules.Skip(1))
        {
            // Order: Pooling, then Dense layers, then Normalize, as every supported export has it.
            bool inOrder = kind switch
            {
                "Pooling" => pooling is null && dense.Count == 0 && !normalize,
                "Dense" => pooling is not null && !normalize,
                "Normalize" => pooling is not null && !normalize,
                _ => false,
            };
            if (!inOrder)
            {
                throw ModulesError($"the module order ({string.Join(" → ", modules.Select(m => m.Kind))}) is not supported: it must be " +
                    "Transformer, Pooling, any Dense layers, then an optional Normalize.");
            }

            switch (kind)
            {
                case "Pooling":
                    pooling = ParsePooling((await ReadJsonAsync(Join(path, "config.json"), required: true, cancellationToken).ConfigureAwait(false))!);
                    break;
                case "Dense":
                    dense.Add(await ReadDenseAsync(path, cancellationToken).ConfigureAwait(false));
                    break;
                default:
                    normalize = true;
                    break;
            }
        }

        if (pooling is null)
        {
            throw ModulesError("there is no Pooling module after the Transformer.");
        }

        for (int i = 1; i < dense.Count; i++)
        {
            if (dense[i].InFeatures != dense[i - 1].OutFeatures)
            {
                throw new EmbeddingModelException(Model,
                    $"Dense module '{dense[i].ModulePath}' takes {dense[i].InFeatures} features, but '{dense[i - 1].ModulePath}' gives {dense[i - 1].OutFeatures}.");
            }
        }

        JsonConfig? stConfig = await ReadJsonAsync("config_sentence_transformers.json", required: false, cancellationToken).ConfigureAwait(false);
        Dictionary<string, string> prompts = new(StringComparer.Ordinal);
        if (stConfig?.Object("prompts") is { } promptTable)
        {
            foreach (JsonProperty prompt in promptTable.Root.EnumerateObject())
            {
                prompts[prompt.Name] = prompt.Value.ValueKind == JsonValueKind.String
                    ? prompt.Value.GetString()!
                    : throw stConfig.Error($"prompt '{prompt.Name}' must be a string.");
            }
        }

        string? defaultPrompt = stConfig?.String("default_prompt_name");
        if (defaultPrompt is not null && !prompts.ContainsKey(defaultPrompt))
        {
            throw stConfig!.Error($"default_prompt_name '{defaultPrompt}' is not one of its prompts.");
        }

        TokenizerFiles tokenizer = await ReadTokenizerFilesAsync(transformerPath, cancellationToken).ConfigureAwait(false);
        int? tokenizerMax = tokenizer.TokenizerConfigPath is { } tc
            ? JsonConfig.Parse(tc, Model, $"'tokenizer_config.json' {_source.Where}").Int("model_max_length")
            : null;
        int? positions = config.Int("max_position_embeddings");
        // sentence-transformers: max_seq_length when set, else the smaller of the model's and the tokenizer's limits.
        int? maxLength = bertConfig?.Int("max_seq_length")
            ?? (positions, tokenizerMax is > 0 and < 1_000_000 ? tokenizerMax : null) switch
            {
                (int p, int t) => Math.Min(p, t),
                (int p, null) => p,
                (null, int t) => t,
                _ => null,
            };

        string onnxPath = ModelVariantNames.FilePath(OnnxFolder, "model", _variant);
        if (!await _source.ExistsAsync(onnxPath, cancellationToken).ConfigureAwait(false))
        {
            throw await MissingOnnxAsync(["model"], cancellationToken).ConfigureAwait(false);
        }

        OnnxModelFile model = await FetchOnnxAsync(onnxPath, cancellationToken).ConfigureAwait(false);
        int? hidden = pooling.WordEmbeddingDimension ?? config.Int("hidden_size");
        int? dimensions = dense.Count > 0 ? dense[^1].OutFeatures : hidden * pooling.ModeCount;

        return new ModelDescription
        {
            ModelId = Model,
            Folder = _source.Folder!,
            Revision = "",
            Family = ModelFamily.SentenceTransformer,
            ModelType = modelType,
            Variant = _variant,
            TextEncoder = model,
            Tokenizer = tokenizer,
            TextMaxLength = maxLength,
            Dimensions = dimensions,
            SentenceTransformer = new SentenceTransformerPipeline(
                pooling, dense, normalize, prompts, defaultPrompt, stConfig?.String("similarity_fn_name"), bertConfig?.Bool("do_lower_case") ?? false),
            Files = [.. _files],
        };
    }

    private string ModulesDescription => $"'modules.json' {_source.Where}";

    private EmbeddingModelException ModulesError(string detail) => new(Model, $"{ModulesDescription}: {detail}");

    private List<(string Kind, string Path)> ParseModules(IReadOnlyList<JsonConfig> modules)
    {
        var list = new List<(string Kind, string Path)>();
        foreach (JsonConfig module in modules)
        {
            string type = module.String("type") ?? throw module.Error("'type' is missing.");
            string path = (module.String("path") ?? "").TrimEnd('/');
            string kind = type[(type.LastIndexOf('.') + 1)..];
            if (kind is not ("Transformer" or "Pooling" or "Dense" or "Normalize"))
            {
                throw ModulesError($"module '{type}' is not supported; supported modules are Transformer, Pooling, Dense and Normalize.");
            }

            if (path.Length > 0)
            {
                // Module folders come from the model's files: they must not lead outside it.
                HubPaths.ValidateFilePath(Model, path);
            }

            list.Add((kind, path));
        }

        if (list.Count == 0 || list[0].Kind != "Transformer")
        {
            throw ModulesError("the first module must be a Transformer.");
        }

        return list;
    }

    private static PoolingConfig ParsePooling(JsonConfig pooling)
    {
        PoolingModes modes = PoolingModes.None;
        if (pooling.String("pooling_mode") is { } named)
        {
            modes = named switch
            {
                "cls" => PoolingModes.Cls,
                "max" => PoolingModes.Max,
                "mean" => PoolingModes.Mean,
                "mean_sqrt_len_tokens" => PoolingModes.MeanSqrtLen,
                "weightedmean" => PoolingModes.WeightedMean,
                "lasttoken" => PoolingModes.LastToken,
                _ => throw pooling.Error($"pooling_mode '{named}' is not supported."),
            };
        }

        (string Key, PoolingModes Mode)[] flags =
        [
            ("pooling_mode_cls_token", PoolingModes.Cls),
            ("pooling_mode_max_tokens", PoolingModes.Max),
            ("pooling_mode_mean_tokens", PoolingModes.Mean),
            ("pooling_mode_mean_sqrt_len_tokens", PoolingModes.MeanSqrtLen),
            ("pooling_mode_weightedmean_tokens", PoolingModes.WeightedMean),
            ("pooling_mode_lasttoken", PoolingModes.LastToken),
        ];
        foreach ((string key, PoolingModes mode) in flags)
        {
            if (pooling.Bool(key) == true)
            {
                modes |= mode;
            }
        }

        if (modes == PoolingModes.None)
        {
            throw pooling.Error("no pooling mode is enabled (pooling_mode_mean_tokens, pooling_mode_cls_token, ...).");
        }

        return new PoolingConfig(modes, pooling.Bool("include_prompt") ?? true, pooling.Int("word_embedding_dimension"));
    }

    private async Task<DenseLayerConfig> ReadDenseAsync(string path, CancellationToken cancellationToken)
    {
        JsonConfig dense = (await ReadJsonAsync(Join(path, "config.json"), required: true, cancellationToken).ConfigureAwait(false))!;
        int inFeatures = dense.Int("in_features") ?? throw dense.Error("'in_features' is missing.");
        int outFeatures = dense.Int("out_features") ?? throw dense.Error("'out_features' is missing.");
        if (inFeatures <= 0 || outFeatures <= 0)
        {
            throw dense.Error("'in_features' and 'out_features' must be positive.");
        }

        string activationName = dense.String("activation_function") ?? "torch.nn.modules.activation.Tanh";
        DenseActivation activation = activationName[(activationName.LastIndexOf('.') + 1)..] switch
        {
            "Identity" => DenseActivation.Identity,
            "Tanh" => DenseActivation.Tanh,
            "ReLU" => DenseActivation.Relu,
            "Sigmoid" => DenseActivation.Sigmoid,
            "GELU" => DenseActivation.Gelu,
            _ => throw dense.Error($"activation '{activationName}' is not supported (Identity, Tanh, ReLU, Sigmoid and GELU are)."),
        };

        string? weights = await _source.GetFileAsync(Join(path, "model.safetensors"), cancellationToken).ConfigureAwait(false);
        if (weights is not null)
        {
            _files.Add(weights);
        }

        return new DenseLayerConfig(path, inFeatures, outFeatures, dense.Bool("bias") ?? true, activation, weights);
    }

    private async Task<TokenizerFiles> ReadTokenizerFilesAsync(string folder, CancellationToken cancellationToken)
    {
        string json = await RequireFileAsync(Join(folder, "tokenizer.json"), "the tokenizer (only tokenizer.json is supported, not vocab files alone)", cancellationToken).ConfigureAwait(false);
        string? config = await OptionalFileAsync(Join(folder, "tokenizer_config.json"), cancellationToken).ConfigureAwait(false);
        string? special = await OptionalFileAsync(Join(folder, "special_tokens_map.json"), cancellationToken).ConfigureAwait(false);
        return new TokenizerFiles(json, config, special);
    }

    private async Task<OnnxModelFile> FetchOnnxAsync(string path, CancellationToken cancellationToken)
    {
        string local = await RequireFileAsync(path, "the ONNX model", cancellationToken).ConfigureAwait(false);
        string fileName = path[(path.LastIndexOf('/') + 1)..];
        string folder = path[..path.LastIndexOf('/')];
        var external = new List<string>();

        IReadOnlyList<string>? listing = await _source.ListAsync(folder, cancellationToken).ConfigureAwait(false);
        IEnumerable<string> candidates;
        if (listing is not null)
        {
            candidates = listing.Where(n => IsExternalDataOf(n, fileName)).OrderBy(n => n.Length).ThenBy(n => n, StringComparer.Ordinal);
        }
        else
        {
            // A hub repository cannot be listed through the resolve protocol: probe the names exporters use.
            var probed = new List<string>();
            foreach (string name in new[] { fileName + "_data", fileName + ".data" })
            {
                if (await _source.ExistsAsync(Join(folder, name), cancellationToken).ConfigureAwait(false))
                {
                    probed.Add(name);
                    for (int part = 1; await _source.ExistsAsync(Join(folder, $"{name}_{part}"), cancellationToken).ConfigureAwait(false); part++)
                    {
                        probed.Add($"{name}_{part}");
                    }
                }
            }

            candidates = probed;
        }

        foreach (string name in candidates)
        {
            external.Add(await RequireFileAsync(Join(folder, name), "external weights", cancellationToken).ConfigureAwait(false));
        }

        return new OnnxModelFile(local, path, _variant, external);
    }

    private static bool IsExternalDataOf(string name, string modelFileName)
    {
        foreach (string stem in new[] { modelFileName + "_data", modelFileName + ".data" })
        {
            if (name == stem || (name.StartsWith(stem + "_", StringComparison.Ordinal) && name[(stem.Length + 1)..].All(char.IsAsciiDigit)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Lists the known variants present for a base name.</summary>
    private async Task<List<ModelVariant>> PresentVariantsAsync(string baseName, CancellationToken cancellationToken)
    {
        var present = new List<ModelVariant>();
        IReadOnlyList<string>? listing = await _source.ListAsync(OnnxFolder, cancellationToken).ConfigureAwait(false);
        foreach (ModelVariant variant in ModelVariantNames.All)
        {
            string path = ModelVariantNames.FilePath(OnnxFolder, baseName, variant);
            bool exists = listing is not null
                ? listing.Contains(path[(OnnxFolder.Length + 1)..], StringComparer.Ordinal)
                : await _source.ExistsAsync(path, cancellationToken).ConfigureAwait(false);
            if (exists)
            {
                present.Add(variant);
            }
        }

        return present;
    }

    private async Task<EmbeddingModelException> MissingOnnxAsync(string[] baseNames, CancellationToken cancellationToken)
    {
        var present = new List<string>();
        foreach (string baseName in baseNames)
        {
            foreach (ModelVariant variant in await PresentVariantsAsync(baseName, cancellationToken).ConfigureAwait(false))
            {
                present.Add($"{ModelVariantNames.DisplayName(variant)} ({OnnxFolder}/{baseName}{ModelVariantNames.Suffix(variant)}.onnx)");
            }
        }

        string wanted = string.Join(", ", baseNames.Select(b => ModelVariantNames.FilePath(OnnxFolder, b, _variant)));
        if (present.Count == 0)
        {
            IReadOnlyList<string>? listing = await _source.ListAsync(OnnxFolder, cancellationToken).ConfigureAwait(false);
            string others = listing is { Count: > 0 } ? $" ({OnnxFolder}/ holds: {string.Join(", ", listing)})" : "";
            return new EmbeddingModelException(Model,
                $"No {string.Join(" or ", baseNames.Select(b => $"{OnnxFolder}/{b}*.onnx"))} {_source.Where}{others}: this model has no ONNX export " +
                "this library can load.");
        }

        return new EmbeddingModelException(Model,
            $"The {ModelVariantNames.DisplayName(_variant)} variant is not available {_source.Where}: no {wanted}. Variants present: {string.Join(", ", present)}.");
    }

    private async Task<JsonConfig?> ReadJsonAsync(string path, bool required, CancellationToken cancellationToken)
    {
        string? local = required
            ? await RequireFileAsync(path, "configuration", cancellationToken).ConfigureAwait(false)
            : await OptionalFileAsync(path, cancellationToken).ConfigureAwait(false);
        if (local is null)
        {
            return null;
        }

        return JsonConfig.Parse(local, Model, $"'{path}' {_source.Where}");
    }

    private async Task<string> RequireFileAsync(string path, string what, CancellationToken cancellationToken) =>
        await OptionalFileAsync(path, cancellationToken).ConfigureAwait(false)
        ?? throw new EmbeddingModelException(Model, $"No {path} {_source.Where}: it holds {what}.");

    private async Task<string?> OptionalFileAsync(string path, CancellationToken cancellationToken)
    {
        string? local = await _source.GetFileAsync(path, cancellationToken).ConfigureAwait(false);
        if (local is not null)
        {
            _files.Add(local);
        }

        return local;
    }

    private static string Join(string folder, string name) => folder.Length == 0 ? name : $"{folder}/{name}";

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();
}
