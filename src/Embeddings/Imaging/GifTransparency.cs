namespace Embeddings.Imaging;

/// <summary>
/// Finds the colour Pillow gives the transparent pixels of a GIF's first frame. Pillow keeps the frame as palette
/// indices, so <c>convert("RGB")</c> shows the palette entry of the transparent index; libvips returns those pixels as
/// transparent black instead. Only the headers are read, never the compressed pixels.
/// </summary>
internal static class GifTransparency
{
    /// <summary>Reads the palette colour of the first frame's transparent index.</summary>
    /// <param name="gif">The encoded GIF.</param>
    /// <param name="rgb">The colour, when the first frame declares a transparent index.</param>
    /// <returns><see langword="true"/> when the first frame has a transparent index with a palette entry.</returns>
    internal static bool TryGetFirstFrameColor(ReadOnlySpan<byte> gif, out (byte R, byte G, byte B) rgb)
    {
        rgb = default;
        if (gif.Length < 13 || !(gif.StartsWith("GIF87a"u8) || gif.StartsWith("GIF89a"u8)))
        {
            return false;
        }

        int position = 13;
        ReadOnlySpan<byte> palette = default;
        byte screenFlags = gif[10];
        if ((screenFlags & 0x80) != 0)
        {
            int size = 3 << ((screenFlags & 7) + 1);
            if (position + size > gif.Length)
            {
                return false;
            }

            palette = gif.Slice(position, size);
            position += size;
        }

        int transparentIndex = -1;
        while (position < gif.Length)
        {
            byte block = gif[position++];
            if (block == 0x21)
            {
                if (position >= gif.Length)
                {
                    return false;
                }

                byte label = gif[position++];
                if (label == 0xF9 && position + 5 <= gif.Length && gif[position] >= 4)
                {
                    // Graphic control extension: the last one before the image applies to it.
                    transparentIndex = (gif[position + 1] & 1) != 0 ? gif[position + 4] : -1;
                }

                if (!SkipSubBlocks(gif, ref position))
                {
                    return false;
                }
            }
            else if (block == 0x2C)
            {
                if (position + 9 > gif.Length)
                {
                    return false;
                }

                byte imageFlags = gif[position + 8];
                position += 9;
                if ((imageFlags & 0x80) != 0)
                {
                    int size = 3 << ((imageFlags & 7) + 1);
                    if (position + size > gif.Length)
                    {
                        return false;
                    }

                    palette = gif.Slice(position, size);
                }

                if (transparentIndex < 0 || (transparentIndex * 3) + 3 > palette.Length)
                {
                    return false;
                }

                rgb = (palette[transparentIndex * 3], palette[(transparentIndex * 3) + 1], palette[(transparentIndex * 3) + 2]);
                return true;
            }
            else
            {
                return false;
            }
        }

        return false;
    }

    private static bool SkipSubBlocks(ReadOnlySpan<byte> gif, ref int position)
    {
        while (position < gif.Length)
        {
            int length = gif[position++];
            if (length == 0)
            {
                return true;
            }

            position += length;
        }

        return false;
    }
}
