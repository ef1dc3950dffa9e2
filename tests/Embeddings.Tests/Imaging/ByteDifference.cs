namespace Embeddings.Imaging;

/// <summary>How two byte images differ: counts of samples that differ by 0, 1 and more, and the largest difference.</summary>
internal readonly record struct ByteDifference(long Same, long OffByOne, long More, int Max)
{
    public long Total => Same + OffByOne + More;

    public static ByteDifference Of(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        long same = 0, one = 0, more = 0;
        int max = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            int d = Math.Abs(expected[i] - actual[i]);
            max = Math.Max(max, d);
            if (d == 0)
            {
                same++;
            }
            else if (d == 1)
            {
                one++;
            }
            else
            {
                more++;
            }
        }

        return new ByteDifference(same, one, more, max);
    }

    public ByteDifference Add(ByteDifference other) =>
        new(Same + other.Same, OffByOne + other.OffByOne, More + other.More, Math.Max(Max, other.Max));

    public override string ToString() => $"{Total} samples: |d|=0 {Same}, |d|=1 {OffByOne}, |d|>1 {More}, max {Max}";
}
