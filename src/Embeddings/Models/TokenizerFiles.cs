namespace Embeddings.Models;

/// <summary>The tokenizer files of a model.</summary>
/// <param name="TokenizerJsonPath"><c>tokenizer.json</c> (required).</param>
/// <param name="TokenizerConfigPath"><c>tokenizer_config.json</c>, when present.</param>
/// <param name="SpecialTokensMapPath"><c>special_tokens_map.json</c>, when present.</param>
internal sealed record TokenizerFiles(string TokenizerJsonPath, string? TokenizerConfigPath, string? SpecialTokensMapPath);
