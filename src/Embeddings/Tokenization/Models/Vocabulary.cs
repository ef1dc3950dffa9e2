namespace Embeddings.Tokenization;

/// <summary>A token ⇄ id map with allocation-free lookups by span.</summary>
internal sealed class Vocabulary
{
    private readonly Dictionary<string, int> _ids;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly string?[] _tokens;

    public Vocabulary(Dictionary<string, int> ids)
    {
        _ids = ids;
        _lookup = ids.GetAlternateLookup<ReadOnlySpan<char>>();
        int max = -1;
        foreach (int id in ids.Values)
        {
            max = Math.Max(max, id);
        }

        _tokens = new string?[max + 1];
        foreach (KeyValuePair<string, int> pair in ids)
        {
            // Hugging Face's reverse map keeps one token per id; duplicates are unusual.
            if (pair.Value >= 0)
            {
                _tokens[pair.Value] ??= pair.Key;
            }
        }

        MaxTokenLength = 0;
        foreach (string token in ids.Keys)
        {
            MaxTokenLength = Math.Max(MaxTokenLength, token.Length);
        }
    }

    /// <summary>Gets the number of entries.</summary>
    public int Count => _ids.Count;

    /// <summary>Gets the length of the longest token, in UTF-16 code units.</summary>
    public int MaxTokenLength { get; }

    /// <summary>Gets the underlying map.</summary>
    public IReadOnlyDictionary<string, int> Ids => _ids;

    public bool TryGetId(ReadOnlySpan<char> token, out int id) => _lookup.TryGetValue(token, out id);

    public int IdOrMinusOne(ReadOnlySpan<char> token) => _lookup.TryGetValue(token, out int id) ? id : -1;

    public string? TokenOf(int id) => (uint)id < (uint)_tokens.Length ? _tokens[id] : null;
}
