namespace Embeddings.Reliability.Properties;

/// <summary>Damages encoded images the way storage and transport do: flipped bits, lost tails, overwritten runs,
/// inserted or deleted bytes, and shuffled chunks (PNG) or segments (JPEG).</summary>
internal static class ImageMutations
{
    public static (string What, byte[] Data) Mutate(byte[] original, Random random)
    {
        byte[] data = (byte[])original.Clone();
        switch (random.Next(7))
        {
            case 0:
            {
                int flips = random.Next(1, 33);
                for (int i = 0; i < flips; i++)
                {
                    data[random.Next(data.Length)] ^= (byte)(1 << random.Next(8));
                }

                return ($"{flips} bit flips", data);
            }

            case 1:
            {
                // Flips concentrated in the header, where sizes and tables live.
                int flips = random.Next(1, 9);
                int span = Math.Min(data.Length, 512);
                for (int i = 0; i < flips; i++)
                {
                    data[random.Next(span)] ^= (byte)(1 << random.Next(8));
                }

                return ($"{flips} header bit flips", data);
            }

            case 2:
            {
                int cut = random.Next(data.Length);
                return ($"truncated at {cut}", data[..cut]);
            }

            case 3:
            {
                int at = random.Next(data.Length);
                int length = Math.Min(random.Next(1, 256), data.Length - at);
                random.NextBytes(data.AsSpan(at, length));
                return ($"{length} random bytes at {at}", data);
            }

            case 4:
            {
                int at = random.Next(data.Length);
                byte[] inserted = new byte[random.Next(1, 64)];
                random.NextBytes(inserted);
                return ($"{inserted.Length} bytes inserted at {at}", [.. data[..at], .. inserted, .. data[at..]]);
            }

            case 5:
            {
                int at = random.Next(data.Length);
                int length = Math.Min(random.Next(1, 64), data.Length - at);
                return ($"{length} bytes deleted at {at}", [.. data[..at], .. data[(at + length)..]]);
            }

            default:
                return ShuffleBlocks(data, random);
        }
    }

    private static (string, byte[]) ShuffleBlocks(byte[] data, Random random)
    {
        List<byte[]> blocks = Blocks(data);
        if (blocks.Count < 3)
        {
            return ("too few blocks to shuffle; unchanged", data);
        }

        // Keep the signature block first; shuffle, duplicate or drop the rest.
        byte[] head = blocks[0];
        List<byte[]> rest = [.. blocks.Skip(1)];
        string what;
        switch (random.Next(3))
        {
            case 0:
                rest = [.. rest.OrderBy(_ => random.Next())];
                what = "blocks shuffled";
                break;
            case 1:
                rest.Insert(random.Next(rest.Count), rest[random.Next(rest.Count)]);
                what = "a block duplicated";
                break;
            default:
                rest.RemoveAt(random.Next(rest.Count));
                what = "a block dropped";
                break;
        }

        return (what, [.. head, .. rest.SelectMany(b => b)]);
    }

    /// <summary>PNG: signature, then chunks. JPEG: SOI, then marker segments up to the scan, then the scan. Other
    /// formats: 4 KiB blocks.</summary>
    private static List<byte[]> Blocks(byte[] data)
    {
        var blocks = new List<byte[]>();
        if (data.Length > 8 && data[0] == 0x89 && data[1] == (byte)'P')
        {
            blocks.Add(data[..8]);
            int at = 8;
            while (at + 12 <= data.Length)
            {
                long length = ((long)data[at] << 24) | ((long)data[at + 1] << 16) | ((long)data[at + 2] << 8) | data[at + 3];
                long end = at + 12 + length;
                if (end > data.Length)
                {
                    break;
                }

                blocks.Add(data[at..(int)end]);
                at = (int)end;
            }

            if (at < data.Length)
            {
                blocks.Add(data[at..]);
            }

            return blocks;
        }

        if (data.Length > 4 && data[0] == 0xFF && data[1] == 0xD8)
        {
            blocks.Add(data[..2]);
            int at = 2;
            while (at + 4 <= data.Length && data[at] == 0xFF && data[at + 1] != 0xDA)
            {
                int end = at + 2 + ((data[at + 2] << 8) | data[at + 3]);
                if (end > data.Length)
                {
                    break;
                }

                blocks.Add(data[at..end]);
                at = end;
            }

            blocks.Add(data[at..]);
            return blocks;
        }

        for (int at = 0; at < data.Length; at += 4096)
        {
            blocks.Add(data[at..Math.Min(at + 4096, data.Length)]);
        }

        return blocks;
    }
}
