namespace Embeddings.Local;

/// <summary>The defaults and limits of <see cref="LocalOnnxProviderOptions"/>.</summary>
internal static class LocalOnnxProviderDefaults
{
    public const string ProviderName = "local-onnx";
    public const int TextBatchSize = 32;
    public const int ImageBatchSize = 8;
    public const int MaxBatchSize = 4096;
    public const int PreprocessingParallelism = 1;
    public const int MaxConcurrentInferences = 1;
    public const int MaxParallelism = 1024;

    /// <summary>Texts tokenized together and sorted by length before they are cut into batches: this many batches' worth.</summary>
    public const int TextBucketBatches = 4;

    /// <summary>Label and prompt text vectors kept for zero-shot and aspects before the cache is cleared.</summary>
    public const int LabelCacheCapacity = 4096;

    /// <summary>The hypothesis template of transformers' zero-shot-image-classification pipeline.</summary>
    public const string HypothesisTemplate = "This is a photo of {}.";
}
