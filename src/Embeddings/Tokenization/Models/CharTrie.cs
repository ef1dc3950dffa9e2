namespace Embeddings.Tokenization;

/// <summary>A trie over UTF-16 code units with a value at the end of each key, walked one character at a time.</summary>
internal sealed class CharTrie
{
    private readonly Dictionary<long, int> _children = [];
    private readonly List<int> _values = [-1];

    /// <summary>The root node.</summary>
    public const int Root = 0;

    /// <summary>Gets the number of keys.</summary>
    public int Count { get; private set; }

    /// <summary>Adds a key; a later value for the same key replaces the earlier one.</summary>
    public void Add(ReadOnlySpan<char> key, int value)
    {
        int node = Root;
        foreach (char c in key)
        {
            long edge = ((long)node << 16) | c;
            if (!_children.TryGetValue(edge, out int child))
            {
                child = _values.Count;
                _values.Add(-1);
                _children.Add(edge, child);
            }

            node = child;
        }

        if (_values[node] < 0)
        {
            Count++;
        }

        _values[node] = value;
    }

    /// <summary>Moves from a node along a character; returns -1 when there is no such edge.</summary>
    public int Next(int node, char c) => _children.TryGetValue(((long)node << 16) | c, out int child) ? child : -1;

    /// <summary>Gets the value at a node, or -1 when no key ends there.</summary>
    public int ValueAt(int node) => _values[node];

    /// <summary>Finds the longest key starting at <paramref name="start"/>; returns its value and sets its length.</summary>
    public int LongestMatch(ReadOnlySpan<char> text, int start, out int length)
    {
        int node = Root;
        int best = -1;
        length = 0;
        for (int i = start; i < text.Length; i++)
        {
            node = Next(node, text[i]);
            if (node < 0)
            {
                break;
            }

            int value = _values[node];
            if (value >= 0)
            {
                best = value;
                length = i + 1 - start;
            }
        }

        return best;
    }
}
