using System.ComponentModel.DataAnnotations;
using Embeddings.Imaging;
using Embeddings.Models;
using Embeddings.Onnx;
using Microsoft.Extensions.Options;

namespace Embeddings.Local;

/// <summary>
/// Configures a <see cref="LocalOnnxProvider"/>: where the model comes from, how ONNX Runtime runs it, how inputs are
/// batched and how images are decoded. Bindable from configuration (<c>IConfiguration</c>); validated when the
/// provider is created.
/// </summary>
/// <remarks>The options are copied when the provider is created; later changes have no effect on it.</remarks>
public sealed class LocalOnnxProviderOptions
{
    /// <summary>Gets or sets where model files come from (hub cache, endpoint, token, revision) and which ONNX
    /// precision (<see cref="ModelSourceOptions.Variant"/>) is loaded.</summary>
    /// <value>Defaults read from the environment variables the Python tools use (<c>HF_HOME</c>, <c>HF_HUB_OFFLINE</c>,
    /// ...); fp32.</value>
    [Required]
    public ModelSourceOptions ModelSource { get; set; } = new();

    /// <summary>Gets or sets how ONNX Runtime is found and runs the model: intra-op threads, graph optimization,
    /// memory arena, execution provider (CPU or CUDA).</summary>
    /// <value>The defaults of <see cref="OnnxRuntimeOptions"/>: ONNX Runtime picks the thread count (one per physical
    /// core), no memory arena, CPU; plus <c>session.intra_op.allow_spinning</c> = <c>0</c> unless set here, so idle
    /// intra-op threads sleep while the next batch is preprocessed on another thread.</value>
    [Required]
    [ValidateObjectMembers]
    public OnnxRuntimeOptions Runtime { get; set; } = new();

    /// <summary>Gets or sets how encoded images are read and decoded: size limits, alpha handling, the optional
    /// shrink-on-load fast path and where libvips is.</summary>
    /// <value>The defaults of <see cref="ImageDecoderOptions"/>: 64 MiB, Pillow's pixel limit, alpha dropped as Pillow's
    /// <c>convert("RGB")</c> does, exact (Pillow-identical) decoding.</value>
    [Required]
    public ImageDecoderOptions ImageDecoding { get; set; } = new();

    /// <summary>
    /// Gets or sets the most texts in one model run. Texts are sorted by token length before they are cut into
    /// batches, so a batch pads little; a text's vector does not depend on its neighbours.
    /// </summary>
    /// <value>The default is 32.</value>
    [Range(1, LocalOnnxProviderDefaults.MaxBatchSize)]
    public int TextBatchSize { get; set; } = LocalOnnxProviderDefaults.TextBatchSize;

    /// <summary>
    /// Gets or sets the most images in one model run. While one batch runs, the next is decoded and preprocessed on
    /// another thread, so at most two batches of pixel tensors are held at a time.
    /// </summary>
    /// <value>The default is 8.</value>
    [Range(1, LocalOnnxProviderDefaults.MaxBatchSize)]
    public int ImageBatchSize { get; set; } = LocalOnnxProviderDefaults.ImageBatchSize;

    /// <summary>Gets or sets how many images of a batch are decoded and preprocessed at the same time (each image
    /// decodes on one thread). Preprocessing overlaps the model run of the previous batch, which has
    /// <see cref="OnnxRuntimeOptions.IntraOpThreads"/> threads of its own.</summary>
    /// <value>The default is 1.</value>
    [Range(1, LocalOnnxProviderDefaults.MaxParallelism)]
    public int PreprocessingParallelism { get; set; } = LocalOnnxProviderDefaults.PreprocessingParallelism;

    /// <summary>
    /// Gets or sets how many model runs may execute at the same time, across all callers. On a CPU one run already
    /// uses every intra-op thread, so more runs at once only add memory; concurrent callers queue for the slot and
    /// their other work (tokenizing, decoding) still proceeds in parallel.
    /// </summary>
    /// <value>The default is 1.</value>
    [Range(1, LocalOnnxProviderDefaults.MaxParallelism)]
    public int MaxConcurrentInferences { get; set; } = LocalOnnxProviderDefaults.MaxConcurrentInferences;

    /// <summary>
    /// Gets or sets which sides of the model are loaded, or <see langword="null"/> for every side it has. A dual encoder
    /// used for images only loads its vision tower alone with <see cref="EmbeddingModalities.Image"/> (no text graph or
    /// tokenizer in memory); inputs of a side not loaded fail with <see cref="EmbeddingInputError.UnsupportedModality"/>,
    /// and zero-shot classification and aspects need both.
    /// </summary>
    /// <value>The default is <see langword="null"/>: everything the model has.</value>
    public EmbeddingModalities? Modalities { get; set; }

    /// <summary>
    /// Gets or sets whether vectors are L2-normalized when a call does not say (<see cref="EmbeddingRequestOptions.Normalize"/>).
    /// Without normalization a vector is the model's own output: the pooled output of a SigLIP or CLIP tower, or the
    /// end of a sentence-transformers pipeline (which includes its Normalize module when the model has one).
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool Normalize { get; set; } = true;

    /// <summary>
    /// Gets or sets whether texts longer than the model's maximum length (SigLIP 64 tokens, sentence-transformers
    /// <c>max_seq_length</c>) are truncated, keeping the special tokens, as the Python reference does. When
    /// <see langword="false"/>, such a text fails alone with <see cref="EmbeddingInputError.TooLarge"/>.
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool TruncateText { get; set; } = true;

    /// <summary>
    /// Gets or sets whether a dual encoder's combined model (<c>onnx/model.onnx</c>, which holds the zero-shot
    /// <c>logit_scale</c> and <c>logit_bias</c>) is resolved and read when the provider is created. Otherwise it is
    /// resolved on the first zero-shot call (for hub models, that call downloads it).
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool LoadZeroShotHead { get; set; }

    /// <summary>Creates a deep copy of these options.</summary>
    /// <returns>A new instance with the same values.</returns>
    public LocalOnnxProviderOptions Clone()
    {
        var runtime = new OnnxRuntimeOptions
        {
            LibraryPath = Runtime.LibraryPath,
            IntraOpThreads = Runtime.IntraOpThreads,
            InterOpThreads = Runtime.InterOpThreads,
            GraphOptimizationLevel = Runtime.GraphOptimizationLevel,
            ExecutionMode = Runtime.ExecutionMode,
            EnableCpuMemoryArena = Runtime.EnableCpuMemoryArena,
            ExecutionProvider = Runtime.ExecutionProvider,
            CudaDeviceId = Runtime.CudaDeviceId,
            AllowCpuFallback = Runtime.AllowCpuFallback,
        };
        foreach (KeyValuePair<string, string> entry in Runtime.SessionConfigEntries)
        {
            runtime.SessionConfigEntries[entry.Key] = entry.Value;
        }

        return new LocalOnnxProviderOptions
        {
            ModelSource = new ModelSourceOptions
            {
                CacheDirectory = ModelSource.CacheDirectory,
                Endpoint = ModelSource.Endpoint,
                Token = ModelSource.Token,
                Offline = ModelSource.Offline,
                Revision = ModelSource.Revision,
                Variant = ModelSource.Variant,
            },
            Runtime = runtime,
            ImageDecoding = ImageDecoding.Clone(),
            TextBatchSize = TextBatchSize,
            ImageBatchSize = ImageBatchSize,
            PreprocessingParallelism = PreprocessingParallelism,
            MaxConcurrentInferences = MaxConcurrentInferences,
            Modalities = Modalities,
            Normalize = Normalize,
            TruncateText = TruncateText,
            LoadZeroShotHead = LoadZeroShotHead,
        };
    }
}
