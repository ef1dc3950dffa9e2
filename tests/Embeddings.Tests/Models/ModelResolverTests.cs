namespace Embeddings.Models;

public sealed class ModelResolverTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly ModelResolver _resolver = new() { Environment = _ => null };

    public void Dispose() => _temp.Dispose();

    private string Folder(Dictionary<string, byte[]> files, string name = "model") => ModelFiles.WriteTo(files, _temp.Sub(name));

    private Task<ModelDescription> Resolve(string folder, ModelVariant variant = ModelVariant.Fp32, bool combined = false) =>
        _resolver.ResolveAsync(folder, new ModelSourceOptions { Variant = variant }, combined, TestContext.Current.CancellationToken);

    [Fact]
    public async Task ResolveAsync_SiglipFolder_DescribesTowersTokenizerAndPreprocessor()
    {
        string folder = Folder(ModelFiles.Siglip());

        ModelDescription d = await Resolve(folder);

        Assert.Equal(ModelFamily.Siglip, d.Family);
        Assert.Equal("siglip", d.ModelType);
        Assert.Equal(Path.Combine(folder, "onnx", "vision_model.onnx"), d.ImageEncoder!.Path);
        Assert.Equal("onnx/text_model.onnx", d.TextEncoder!.RepositoryPath);
        Assert.Empty(d.TextEncoder.ExternalDataPaths);
        Assert.Null(d.CombinedModel); // both towers present and zero-shot not asked for
        Assert.Equal(Path.Combine(folder, "preprocessor_config.json"), d.PreprocessorConfigPath);
        Assert.Equal(Path.Combine(folder, "tokenizer.json"), d.Tokenizer!.TokenizerJsonPath);
        Assert.Equal(Path.Combine(folder, "tokenizer_config.json"), d.Tokenizer.TokenizerConfigPath);
        Assert.Equal(64, d.TextMaxLength);
        Assert.True(d.PadTextToMaxLength);
        Assert.Equal(32, d.Dimensions);
        Assert.Equal(224, d.ImageSize);
        Assert.Equal(EmbeddingModalities.Image | EmbeddingModalities.Text, d.Modalities);
        Assert.StartsWith("sha256:", d.Revision, StringComparison.Ordinal);
        Assert.Null(d.SentenceTransformer);
    }

    [Fact]
    public async Task ResolveAsync_IncludeCombined_AddsModelOnnxForZeroShot()
    {
        ModelDescription d = await Resolve(Folder(ModelFiles.Siglip()), combined: true);

        Assert.Equal("onnx/model.onnx", d.CombinedModel!.RepositoryPath);
        Assert.NotNull(d.ImageEncoder);
    }

    [Fact]
    public async Task ResolveAsync_OnlyCombinedModel_ServesBothModalities()
    {
        ModelDescription d = await Resolve(Folder(ModelFiles.Siglip("model.onnx")));

        Assert.Null(d.ImageEncoder);
        Assert.Null(d.TextEncoder);
        Assert.Equal("onnx/model.onnx", d.CombinedModel!.RepositoryPath);
        Assert.Equal(EmbeddingModalities.Image | EmbeddingModalities.Text, d.Modalities);
    }

    [Fact]
    public async Task ResolveAsync_VisionOnlyExport_HasNoTextOrTokenizer()
    {
        Dictionary<string, byte[]> files = ModelFiles.Siglip("vision_model.onnx", "vision_model_fp16.onnx");
        files.Remove("tokenizer.json");

        ModelDescription d = await Resolve(Folder(files), ModelVariant.Fp16);

        Assert.Equal("onnx/vision_model_fp16.onnx", d.ImageEncoder!.RepositoryPath);
        Assert.Equal(ModelVariant.Fp16, d.ImageEncoder.Variant);
        Assert.Null(d.TextEncoder);
        Assert.Null(d.Tokenizer);
        Assert.Equal(EmbeddingModalities.Image, d.Modalities);
    }

    [Theory]
    [InlineData(ModelVariant.Fp16, "vision_model_fp16.onnx", "text_model_fp16.onnx")]
    [InlineData(ModelVariant.Quantized, "vision_model_quantized.onnx", "text_model_quantized.onnx")]
    [InlineData(ModelVariant.Int8, "vision_model_int8.onnx", "text_model_int8.onnx")]
    [InlineData(ModelVariant.Uint8, "vision_model_uint8.onnx", "text_model_uint8.onnx")]
    [InlineData(ModelVariant.Q4, "vision_model_q4.onnx", "text_model_q4.onnx")]
    [InlineData(ModelVariant.Q4F16, "vision_model_q4f16.onnx", "text_model_q4f16.onnx")]
    [InlineData(ModelVariant.Bnb4, "vision_model_bnb4.onnx", "text_model_bnb4.onnx")]
    public async Task ResolveAsync_Variant_PicksTheSuffixedFiles(ModelVariant variant, string vision, string text)
    {
        // Every variant present, so a wrong suffix match (q4 vs q4f16) would pick another file.
        string[] all = [.. ModelVariantNames.All.SelectMany(v => new[] { $"vision_model{ModelVariantNames.Suffix(v)}.onnx", $"text_model{ModelVariantNames.Suffix(v)}.onnx" })];

        ModelDescription d = await Resolve(Folder(ModelFiles.Siglip(all)), variant);

        Assert.Equal("onnx/" + vision, d.ImageEncoder!.RepositoryPath);
        Assert.Equal("onnx/" + text, d.TextEncoder!.RepositoryPath);
        Assert.Equal(variant, d.Variant);
    }

    [Fact]
    public async Task ResolveAsync_MissingVariant_ListsTheVariantsPresent()
    {
        string folder = Folder(ModelFiles.Siglip("vision_model.onnx", "text_model.onnx", "vision_model_quantized.onnx", "text_model_quantized.onnx", "model_fp16.onnx"));

        var ex = await Assert.ThrowsAsync<EmbeddingModelException>(() => Resolve(folder, ModelVariant.Q4));

        Assert.Contains("q4 variant is not available", ex.Message, StringComparison.Ordinal);
        Assert.Contains("onnx/vision_model_q4.onnx", ex.Message, StringComparison.Ordinal);
        Assert.Contains("fp32 (onnx/vision_model.onnx)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("quantized (onnx/text_model_quantized.onnx)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("fp16 (onnx/model_fp16.onnx)", ex.Message, StringComparison.Ordinal);
        Assert.Equal(folder, ex.Model);
    }

    [Fact]
    public async Task ResolveAsync_TowerMissingInVariantOnly_IsAnErrorNotASilentlyMissingModality()
    {
        string folder = Folder(ModelFiles.Siglip("vision_model.onnx", "text_model.onnx", "vision_model_fp16.onnx"));

        var ex = await Assert.ThrowsAsync<EmbeddingModelException>(() => Resolve(folder, ModelVariant.Fp16));

        Assert.Contains("onnx/text_model_fp16.onnx", ex.Message, StringComparison.Ordinal);
        Assert.Contains("fp32 (onnx/text_model.onnx)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_NoOnnxAtAll_SaysExactlyWhatIsMissing()
    {
        Dictionary<string, byte[]> files = ModelFiles.Siglip("model_no_gather_q4.onnx");
        string folder = Folder(files);

        var ex = await Assert.ThrowsAsync<EmbeddingModelException>(() => Resolve(folder));

        Assert.Contains($"No onnx/vision_model*.onnx or onnx/text_model*.onnx or onnx/model*.onnx in folder '{folder}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("model_no_gather_q4.onnx", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_ExternalWeights_FoundBesideTheModel()
    {
        Dictionary<string, byte[]> files = ModelFiles.Gemma("model.onnx", "model_fp16.onnx");
        files["onnx/model.onnx_data"] = [1];
        files["onnx/model.onnx_data_1"] = [2];
        files["onnx/model_fp16.onnx_data"] = [3];
        files["onnx/model.onnx.data"] = [4];
        string folder = Folder(files);

        ModelDescription d = await Resolve(folder);

        Assert.Equal(
            [Path.Combine(folder, "onnx", "model.onnx.data"), Path.Combine(folder, "onnx", "model.onnx_data"), Path.Combine(folder, "onnx", "model.onnx_data_1")],
            d.TextEncoder!.ExternalDataPaths.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ResolveAsync_ClipWithDefaultsOmitted_UsesTransformersDefaults()
    {
        Dictionary<string, byte[]> files = ModelFiles.Siglip();
        files["config.json"] = ModelFiles.Utf8("""{"model_type": "clip", "text_config": {}, "vision_config": {"patch_size": 32}}""");

        ModelDescription d = await Resolve(Folder(files));

        Assert.Equal(ModelFamily.Clip, d.Family);
        Assert.Equal(77, d.TextMaxLength);
        Assert.False(d.PadTextToMaxLength);
        Assert.Equal(512, d.Dimensions);
    }

    [Fact]
    public async Task ResolveAsync_ClipWithSentenceTransformersModules_StillADualEncoder()
    {
        Dictionary<string, byte[]> files = ModelFiles.Siglip();
        files["config.json"] = ModelFiles.Utf8("""{"model_type": "clip", "projection_dim": 24}""");
        files["modules.json"] = ModelFiles.Utf8("""[{"idx": 0, "name": "0", "path": "0_CLIPModel", "type": "sentence_transformers.models.CLIPModel"}]""");

        ModelDescription d = await Resolve(Folder(files));

        Assert.Equal(ModelFamily.Clip, d.Family);
        Assert.Equal(24, d.Dimensions);
    }

    [Fact]
    public async Task ResolveAsync_TransformerInSubfolder_ConfigAndTokenizerReadThere()
    {
        Dictionary<string, byte[]> files = ModelFiles.Gemma();
        foreach (string name in new[] { "config.json", "tokenizer.json", "tokenizer_config.json", "sentence_bert_config.json" })
        {
            files["0_Transformer/" + name] = files[name];
            files.Remove(name);
        }

        files["modules.json"] = ModelFiles.Utf8(ModelFiles.GemmaModules.Replace(
            "\"path\": \"\", \"type\": \"sentence_transformers.models.Transformer\"",
            "\"path\": \"0_Transformer\", \"type\": \"sentence_transformers.models.Transformer\"", StringComparison.Ordinal));
        string folder = Folder(files);

        ModelDescription d = await Resolve(folder);

        Assert.Equal(Path.Combine(folder, "0_Transformer", "tokenizer.json"), d.Tokenizer!.TokenizerJsonPath);
        Assert.Equal(2048, d.TextMaxLength);
        Assert.Equal("gemma3_text", d.ModelType);
    }

    [Fact]
    public async Task ResolveAsync_SiglipTowerSizesDisagree_Throws()
    {
        Dictionary<string, byte[]> files = ModelFiles.Siglip();
        files["config.json"] = ModelFiles.Utf8("""{"model_type": "siglip", "text_config": {"hidden_size": 64}, "vision_config": {"hidden_size": 32}}""");

        var ex = await Assert.ThrowsAsync<EmbeddingModelException>(() => Resolve(Folder(files)));

        Assert.Contains("image embedding size (32) differs from the text embedding size (64)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_Siglip2NaFlexConfig_NotSupported()
    {
        Dictionary<string, byte[]> files = ModelFiles.Siglip();
        files["config.json"] = ModelFiles.Utf8("""{"model_type": "siglip2", "text_config": {}, "vision_config": {"num_patches": 256}}""");

        var ex = await Assert.ThrowsAsync<EmbeddingModelException>(() => Resolve(Folder(files)));

        Assert.Contains("NaFlex", ex.Message, StringComparison.Ordinal);
        Assert.Contains("not supported", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_Siglip2ImageProcessor_NotSupported()
    {
        Dictionary<string, byte[]> files = ModelFiles.Siglip();
        files["preprocessor_config.json"] = ModelFiles.Utf8("""{"image_processor_type": "Siglip2ImageProcessorFast", "max_num_patches": 256, "patch_size": 16}""");

        var ex = await Assert.ThrowsAsync<EmbeddingModelException>(() => Resolve(Folder(files)));

        Assert.Contains("Siglip2ImageProcessorFast", ex.Message, StringComparison.Ordinal);
        Assert.Contains("NaFlex", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_DualEncoderWithoutPreprocessor_SaysWhichFile()
    {
        Dictionary<string, byte[]> files = ModelFiles.Siglip();
        files.Remove("preprocessor_config.json");
        string folder = Folder(files);

        var ex = await Assert.ThrowsAsync<EmbeddingModelException>(() => Resolve(folder));

        Assert.Equal($"No preprocessor_config.json in folder '{folder}': it holds the image preprocessing settings.", ex.Message);
    }

    [Fact]
    public async Task ResolveAsync_EmbeddingGemmaExport_DescribesPipeline()
    {
        string folder = Folder(ModelFiles.Gemma());

        ModelDescription d = await Resolve(folder);

        Assert.Equal(ModelFamily.SentenceTransformer, d.Family);
        Assert.Equal("gemma3_text", d.ModelType);
        Assert.Equal("onnx/model.onnx", d.TextEncoder!.RepositoryPath);
        Assert.Null(d.ImageEncoder);
        Assert.Equal(EmbeddingModalities.Text, d.Modalities);
        Assert.Equal(2048, d.TextMaxLength);
        Assert.False(d.PadTextToMaxLength);
        Assert.Equal(32, d.Dimensions);
        SentenceTransformerPipeline st = d.SentenceTransformer!;
        Assert.Equal(PoolingModes.Mean, st.Pooling.Modes);
        Assert.True(st.Pooling.IncludePrompt);
        Assert.Equal(2, st.DenseLayers.Count);
        Assert.Equal(("2_Dense", 32, 128, false, DenseActivation.Identity), (st.DenseLayers[0].ModulePath, st.DenseLayers[0].InFeatures, st.DenseLayers[0].OutFeatures, st.DenseLayers[0].HasBias, st.DenseLayers[0].Activation));
        Assert.Equal(("3_Dense", 128, 32), (st.DenseLayers[1].ModulePath, st.DenseLayers[1].InFeatures, st.DenseLayers[1].OutFeatures));
        Assert.Null(st.DenseLayers[0].WeightsPath); // the export has the head in its graph
        Assert.True(st.Normalize);
        Assert.Equal("task: search result | query: ", st.Prompts["query"]);
        Assert.Equal("title: none | text: ", st.Prompts["document"]);
        Assert.Equal(4, st.Prompts.Count);
        Assert.Null(st.DefaultPromptName);
        Assert.Equal("cosine", st.SimilarityFunction);
        Assert.False(st.DoLowerCase);
    }

    [Fact]
    public async Task ResolveAsync_DenseWeightsPresent_AreDescribedAndLoad()
    {
        Dictionary<string, byte[]> files = ModelFiles.Gemma();
        files["2_Dense/config.json"] = ModelFiles.Utf8("""{"in_features": 32, "out_features": 2, "bias": true}""");
        files["3_Dense/config.json"] = ModelFiles.Utf8("""{"in_features": 2, "out_features": 32, "bias": false, "activation_function": "torch.nn.modules.linear.Identity"}""");
        string folder = Folder(files);
        float[] weight = [.. Enumerable.Range(0, 64).Select(i => i / 8f)];
        SafeTensorsWriter.Write(Path.Combine(folder, "2_Dense", "model.safetensors"),
            ("linear.weight", "F32", [2, 32], SafeTensorsWriter.F32(weight)), ("linear.bias", "F32", [2], SafeTensorsWriter.F32(1f, 2f)));

        ModelDescription d = await Resolve(folder);

        DenseLayerConfig dense = d.SentenceTransformer!.DenseLayers[0];
        Assert.Equal(DenseActivation.Tanh, dense.Activation); // sentence-transformers' default when unnamed
        Assert.Equal(Path.Combine(folder, "2_Dense", "model.safetensors"), dense.WeightsPath);
        Assert.Contains(dense.WeightsPath, d.Files);
        Assert.Equal(weight, dense.LoadWeights(d.ModelId).Weight);
        Assert.Equal(32, d.Dimensions); // the last Dense layer's output
    }

    [Fact]
    public async Task ResolveAsync_MiniLmLikeWithoutDense_DimensionsFromPooling()
    {
        Dictionary<string, byte[]> files = ModelFiles.Gemma();
        files["config.json"] = ModelFiles.Utf8("""{"model_type": "bert", "hidden_size": 384, "max_position_embeddings": 512}""");
        files["modules.json"] = ModelFiles.Utf8("""
            [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
             {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
             {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}]
            """);
        files["1_Pooling/config.json"] = ModelFiles.Utf8("""{"word_embedding_dimension": 384, "pooling_mode_cls_token": true, "pooling_mode_mean_tokens": true, "include_prompt": false}""");
        files.Remove("sentence_bert_config.json");
        files.Remove("config_sentence_transformers.json");
        files["tokenizer_config.json"] = ModelFiles.Utf8("""{"model_max_length": 256, "do_lower_case": true}""");

        ModelDescription d = await Resolve(Folder(files));

        SentenceTransformerPipeline st = d.SentenceTransformer!;
        Assert.Equal(PoolingModes.Cls | PoolingModes.Mean, st.Pooling.Modes);
        Assert.False(st.Pooling.IncludePrompt);
        Assert.Empty(st.DenseLayers);
        Assert.Equal(768, d.Dimensions); // two pooled vectors concatenated
        Assert.Equal(256, d.TextMaxLength); // min(512 positions, tokenizer's 256)
        Assert.Empty(st.Prompts);
    }

    [Fact]
    public async Task ResolveAsync_MissingPoolingConfig_NamesTheFile()
    {
        Dictionary<string, byte[]> files = ModelFiles.Gemma();
        files.Remove("1_Pooling/config.json");
        string folder = Folder(files);

        var ex = await Assert.ThrowsAsync<EmbeddingModelException>(() => Resolve(folder));

        Assert.Equal($"No 1_Pooling/config.json in folder '{folder}': it holds configuration.", ex.Message);
    }

    [Fact]
    public async Task ResolveAsync_UnsupportedModule_NamesIt()
    {
        Dictionary<string, byte[]> files = ModelFiles.Gemma();
        files["modules.json"] = ModelFiles.Utf8("""[{"idx": 0, "path": "", "type": "sentence_transformers.models.Transformer"}, {"idx": 1, "path": "1_LSTM", "type": "sentence_transformers.models.LSTM"}]""");

        var ex = await Assert.ThrowsAsync<EmbeddingModelException>(() => Resolve(Folder(files)));

        Assert.Contains("'sentence_transformers.models.LSTM' is not supported", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../outside")]
    [InlineData("/etc")]
    [InlineData("a\\..\\..\\b")]
    public async Task ResolveAsync_ModulePathEscapingTheFolder_Rejected(string path)
    {
        Dictionary<string, byte[]> files = ModelFiles.Gemma();
        files["modules.json"] = ModelFiles.Utf8($$"""[{"idx": 0, "path": "", "type": "sentence_transformers.models.Transformer"}, {"idx": 1, "path": "{{path.Replace("\\", "\\\\", StringComparison.Ordinal)}}", "type": "sentence_transformers.models.Pooling"}]""");

        var ex = await Assert.ThrowsAsync<EmbeddingModelException>(() => Resolve(Folder(files)));

        Assert.Contains("is not a valid file path", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_DenseSizesDoNotChain_Throws()
    {
        Dictionary<string, byte[]> files = ModelFiles.Gemma();
        files["3_Dense/config.json"] = ModelFiles.Utf8("""{"in_features": 64, "out_features": 32, "bias": false}""");

        var ex = await Assert.ThrowsAsync<EmbeddingModelException>(() => Resolve(Folder(files)));

        Assert.Contains("'3_Dense' takes 64 features, but '2_Dense' gives 128", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_TextEncoderWithoutModules_ExplainsWhy()
    {
        Dictionary<string, byte[]> files = ModelFiles.Gemma();
        files.Remove("modules.json");

        var ex = await Assert.ThrowsAsync<EmbeddingModelException>(() => Resolve(Folder(files)));

        Assert.Contains("No modules.json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_BadJson_NamesFileWithoutCrashing()
    {
        Dictionary<string, byte[]> files = ModelFiles.Gemma();
        files["1_Pooling/config.json"] = ModelFiles.Utf8("{ not json");
        files["2_Dense/config.json"] = ModelFiles.Utf8("""{"in_features": "32", "out_features": 2}""");

        var ex = await Assert.ThrowsAsync<EmbeddingModelException>(() => Resolve(Folder(files)));
        Assert.Contains("'1_Pooling/config.json'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", ex.Message, StringComparison.Ordinal);

        files["1_Pooling/config.json"] = ModelFiles.Utf8(ModelFiles.MeanPooling);
        ex = await Assert.ThrowsAsync<EmbeddingModelException>(() => Resolve(Folder(files, "second")));
        Assert.Contains("'in_features' must be a whole number", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_NotAModelFolder_NoConfig()
    {
        string folder = _temp.Sub("empty");

        var ex = await Assert.ThrowsAsync<EmbeddingModelException>(() => Resolve(folder));

        Assert.Contains("No config.json", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("./no/such/folder")]
    [InlineData("/no/such/folder")]
    [InlineData("a/b/c")]
    public async Task ResolveAsync_MissingFolderOrBadId_Throws(string model)
    {
        var ex = await Assert.ThrowsAsync<EmbeddingModelException>(() => _resolver.ResolveAsync(model, new ModelSourceOptions { Offline = true }, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(model, ex.Model);
    }

    [Fact]
    public async Task ResolveAsync_Fingerprint_ChangesWhenAUsedFileChangesOnly()
    {
        string folder = Folder(ModelFiles.Gemma());
        string first = (await Resolve(folder)).Revision;

        Assert.Equal(first, (await Resolve(folder)).Revision);

        File.WriteAllText(Path.Combine(folder, "README.md"), "not used by the model");
        Assert.Equal(first, (await Resolve(folder)).Revision);

        File.WriteAllText(Path.Combine(folder, "1_Pooling", "config.json"), ModelFiles.MeanPooling.Replace("\"include_prompt\": true", "\"include_prompt\": false", StringComparison.Ordinal));
        string second = (await Resolve(folder)).Revision;
        Assert.NotEqual(first, second);

        byte[] onnx = File.ReadAllBytes(Path.Combine(folder, "onnx", "model.onnx"));
        onnx[^1] ^= 1;
        File.WriteAllBytes(Path.Combine(folder, "onnx", "model.onnx"), onnx);
        Assert.NotEqual(second, (await Resolve(folder)).Revision);
    }

    [Fact]
    public void Fingerprint_LargeFile_UsesSizeAndWriteTime()
    {
        string folder = _temp.Sub("large");
        string file = Path.Combine(folder, "big.onnx");
        using (var stream = File.Create(file))
        {
            stream.SetLength(ModelFingerprint.ContentHashLimit + 1); // sparse: nothing is written
        }

        string first = ModelFingerprint.Compute(folder, [file]);

        File.SetLastWriteTimeUtc(file, File.GetLastWriteTimeUtc(file).AddSeconds(-10));

        Assert.NotEqual(first, ModelFingerprint.Compute(folder, [file]));
        Assert.Matches("^sha256:[0-9a-f]{64}$", first);
    }
}
