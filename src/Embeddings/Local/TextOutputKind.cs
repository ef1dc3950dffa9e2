namespace Embeddings.Local;

/// <summary>What the text graph's chosen output holds.</summary>
internal enum TextOutputKind
{
    /// <summary>One vector per text, the model's embedding (<c>pooler_output</c>, <c>text_embeds</c>).</summary>
    Pooled,

    /// <summary>sentence-transformers' full pipeline in the graph (<c>sentence_embedding</c>).</summary>
    SentenceEmbedding,

    /// <summary>Token states (<c>last_hidden_state</c>) to pool, then Dense layers and Normalize as modules.json says.</summary>
    TokenStates,
}
