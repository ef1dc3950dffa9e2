namespace Embeddings.Tokenization;

/// <summary>The pieces of a tokenizer.json <c>model</c> object collected during the single reading pass.</summary>
internal sealed class ModelParts
{
    /// <summary>Gets the raw JSON of each scalar field.</summary>
    public Dictionary<string, ReadOnlyMemory<byte>> Fields { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets or sets the token → id vocabulary in UTF-8 (BPE, WordPiece, WordLevel).</summary>
    public Utf8TokenTable? Vocab { get; set; }

    /// <summary>Gets or sets the Unigram pieces and scores.</summary>
    public List<(string Piece, double Score)>? UnigramVocab { get; set; }

    /// <summary>Gets or sets the merges being read in the background, when they came after the vocabulary.</summary>
    public Task<PairMap>? MergesTask { get; set; }

    /// <summary>Gets or sets the continuing-subword prefix the merges were read with.</summary>
    public string? MergesPrefix { get; set; }

    /// <summary>Gets or sets the JSON of the merges array (for reading it later when needed).</summary>
    public ReadOnlyMemory<byte>? MergesRange { get; set; }

    /// <summary>Gets the vocabulary.</summary>
    public Vocabulary Vocabulary() => new(Vocab ?? throw new FormatException("the model has no vocab object"));
}
