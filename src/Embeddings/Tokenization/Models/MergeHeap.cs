namespace Embeddings.Tokenization;

/// <summary>A binary min-heap of candidate merges ordered by (rank, position), as Hugging Face's BPE queue.</summary>
internal sealed class MergeHeap
{
    private long[] _keys = new long[64];
    private int[] _merged = new int[64];
    private int _count;

    public void Clear() => _count = 0;

    public void Push(int rank, int pos, int merged)
    {
        if (_count == _keys.Length)
        {
            Array.Resize(ref _keys, _count * 2);
            Array.Resize(ref _merged, _count * 2);
        }

        long key = ((long)rank << 32) | (uint)pos;
        int i = _count++;
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (_keys[parent] <= key)
            {
                break;
            }

            _keys[i] = _keys[parent];
            _merged[i] = _merged[parent];
            i = parent;
        }

        _keys[i] = key;
        _merged[i] = merged;
    }

    public bool TryPop(out int rank, out int pos, out int merged)
    {
        if (_count == 0)
        {
            rank = pos = merged = 0;
            return false;
        }

        long top = _keys[0];
        rank = (int)(top >> 32);
        pos = (int)(uint)top;
        merged = _merged[0];
        _count--;
        if (_count > 0)
        {
            long key = _keys[_count];
            int value = _merged[_count];
            int i = 0;
            while (true)
            {
                int child = (2 * i) + 1;
                if (child >= _count)
                {
                    break;
                }

                if (child + 1 < _count && _keys[child + 1] < _keys[child])
                {
                    child++;
                }

                if (_keys[child] >= key)
                {
                    break;
                }

                _keys[i] = _keys[child];
                _merged[i] = _merged[child];
                i = child;
            }

            _keys[i] = key;
            _merged[i] = value;
        }

        return true;
    }
}
