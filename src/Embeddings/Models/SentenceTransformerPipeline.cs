namespace Embeddings.Models;

/// <summary>What a sentence-transformers model does after the transformer: pooling, Dense layers, normalization;
/// plus its prompts and text settings.</summary>
/// <param name="Pooling">The Pooling module.</param>
/// <param name="DenseLayers">The Dense modules, in order (often none).</param>
/// <param name="Normalize">Whether a Normalize module ends the pipeline (L2 normalization).</param>
/// <param name="Prompts">Named prompts prepended to texts (<c>config_sentence_transformers.json</c> <c>prompts</c>).</param>
/// <param name="DefaultPromptName">The prompt used when a call names none (<c>default_prompt_name</c>), or <see langword="null"/>.</param>
/// <param name="SimilarityFunction"><c>similarity_fn_name</c> (<c>cosine</c>, <c>dot</c>, ...), or <see langword="null"/>.</param>
/// <param name="DoLowerCase">Whether texts are lower-cased before tokenization (<c>sentence_bert_config.json</c> <c>do_lower_case</c>).</param>
internal sealed record SentenceTransformerPipeline(
    PoolingConfig Pooling,
    IReadOnlyList<DenseLayerConfig> DenseLayers,
    bool Normalize,
    IReadOnlyDictionary<string, string> Prompts,
    string? DefaultPromptName,
    string? SimilarityFunction,
    bool DoLowerCase);
