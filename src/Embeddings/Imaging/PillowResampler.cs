using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Embeddings.Imaging;

/// <summary>
/// Resizes 8-bit RGB images exactly as Pillow's <c>Image.resize</c> does for an RGB image with the default box
/// (libImaging/Resample.c and, for nearest neighbour, Geometry.c's affine scale):
/// <list type="bullet">
/// <item>a separable convolution, horizontal pass first, over only the source rows the vertical pass needs;</item>
/// <item>22-bit fixed-point coefficients (<see cref="ResampleKernel"/>), sums in 32-bit integers starting at a half,
/// shifted and clipped to 8 bits after each pass (the intermediate image is 8-bit, as in Pillow);</item>
/// <item>a pass is skipped when its size is unchanged; same size both ways copies.</item>
/// </list>
/// The AVX2 path computes the same integer sums as the scalar path, in a different order (integer addition is
/// associative), so both give Pillow's bytes; the tests run both.
/// </summary>
internal static unsafe class PillowResampler
{
    private const int Half = 1 << (ResampleKernel.PrecisionBits - 1);

    /// <summary>Resizes an interleaved RGB image held in memory.</summary>
    /// <param name="source">The source pixels (rows of <paramref name="width"/> * 3 bytes, no padding). Bytes after
    /// the last row may be read, never used, when the span extends beyond it.</param>
    /// <param name="width">The source width.</param>
    /// <param name="height">The source height.</param>
    /// <param name="destination">Receives <paramref name="outWidth"/> * <paramref name="outHeight"/> * 3 bytes.</param>
    /// <param name="outWidth">The output width.</param>
    /// <param name="outHeight">The output height.</param>
    /// <param name="filter">The filter.</param>
    /// <param name="code">Which implementation runs (the tests check each).</param>
    internal static void Resize(
        ReadOnlySpan<byte> source, int width, int height, Span<byte> destination, int outWidth, int outHeight, ImageResampling filter, ResampleCode code = ResampleCode.Auto)
    {
        var rows = new MemoryRowSource(source, width, height);
        Resize(ref rows, destination, outWidth, outHeight, filter, code);
    }

    /// <summary>
    /// Resizes an image read row by row. The horizontal pass consumes each strip as it arrives, so a decoder feeding
    /// the rows never needs to hold the whole image; rows after the last one the vertical pass needs are not read.
    /// </summary>
    /// <typeparam name="TSource">The row source.</typeparam>
    /// <param name="source">The rows, none read yet.</param>
    /// <param name="destination">Receives <paramref name="outWidth"/> * <paramref name="outHeight"/> * 3 bytes.</param>
    /// <param name="outWidth">The output width.</param>
    /// <param name="outHeight">The output height.</param>
    /// <param name="filter">The filter.</param>
    /// <param name="code">Which implementation runs.</param>
    internal static void Resize<TSource>(ref TSource source, Span<byte> destination, int outWidth, int outHeight, ImageResampling filter, ResampleCode code = ResampleCode.Auto)
        where TSource : IRgbRowSource, allows ref struct
    {
        int width = source.Width;
        int height = source.Height;
        code = Resolve(code);
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, outWidth * outHeight * 3, nameof(destination));
        if (width == outWidth && height == outHeight)
        {
            source.NextRows(height)[..(width * height * 3)].CopyTo(destination);
            return;
        }

        if (filter == ImageResampling.Nearest)
        {
            Nearest(source.NextRows(height), width, height, destination, outWidth, outHeight);
            return;
        }

        bool needHorizontal = outWidth != width;
        bool needVertical = outHeight != height;
        using ResampleKernel vertical = ResampleKernel.Create(height, 0, height, outHeight, filter);
        int firstRow = vertical.Bounds[0];
        int lastRow = vertical.Bounds[(outHeight * 2) - 2] + vertical.Bounds[(outHeight * 2) - 1];
        Skip(ref source, firstRow);

        if (!needHorizontal)
        {
            VerticalPass(source.NextRows(lastRow - firstRow), width * 3, destination, outHeight, vertical, rowShift: firstRow, code);
            return;
        }

        using var horizontal = new HorizontalKernel(ResampleKernel.Create(width, 0, width, outWidth, filter), code);
        int outRowBytes = outWidth * 3;
        int tempLength = outRowBytes * (lastRow - firstRow);
        byte[]? temp = needVertical ? ArrayPool<byte>.Shared.Rent(tempLength) : null;
        try
        {
            Span<byte> passOutput = temp is null ? destination : temp.AsSpan(0, tempLength);
            for (int row = firstRow; row < lastRow;)
            {
                int rows = Math.Min(source.StripRows, lastRow - row);
                HorizontalPass(source.NextRows(rows), width, rows, passOutput.Slice((row - firstRow) * outRowBytes, rows * outRowBytes), horizontal);
                row += rows;
            }

            if (needVertical)
            {
                VerticalPass(passOutput, outRowBytes, destination, outHeight, vertical, rowShift: firstRow, code);
            }
        }
        finally
        {
            if (temp is not null)
            {
                ArrayPool<byte>.Shared.Return(temp);
            }
        }
    }

    private static ResampleCode Resolve(ResampleCode code)
    {
        if (code == ResampleCode.Avx2 && !Avx2.IsSupported)
        {
            code = ResampleCode.Vector128;
        }

        if (code == ResampleCode.Vector128 && !Vector128.IsHardwareAccelerated)
        {
            code = ResampleCode.Scalar;
        }

        return code != ResampleCode.Auto ? code
            : Avx2.IsSupported ? ResampleCode.Avx2
            : Vector128.IsHardwareAccelerated ? ResampleCode.Vector128
            : ResampleCode.Scalar;
    }

    private static void Skip<TSource>(ref TSource source, int rows)
        where TSource : IRgbRowSource, allows ref struct
    {
        for (int skipped = 0; skipped < rows;)
        {
            int n = Math.Min(source.StripRows, rows - skipped);
            source.NextRows(n);
            skipped += n;
        }
    }

    private static void HorizontalPass(ReadOnlySpan<byte> source, int width, int rows, Span<byte> destination, HorizontalKernel kernel)
    {
        int rowBytes = width * 3;
        int outRowBytes = kernel.Kernel.OutSize * 3;
        int y = 0;
        if (kernel.Expanded is not null)
        {
            fixed (byte* src = source)
            fixed (byte* dst = destination)
            fixed (int* coefficients = kernel.Expanded)
            fixed (int* bounds = kernel.Kernel.Bounds)
            {
                if (kernel.Code == ResampleCode.Avx2)
                {
                    // Two rows at a time share the coefficient loads; an 8-byte load must stay inside the span.
                    for (; y + 1 < rows && ((long)(y + 1) * rowBytes) + kernel.MaxRead <= source.Length; y += 2)
                    {
                        HorizontalTwoRowsAvx2(src + ((long)y * rowBytes), rowBytes, dst + ((long)y * outRowBytes), outRowBytes, kernel.Kernel.OutSize, bounds, coefficients, kernel.VectorsPerPixel);
                    }
                }
                else
                {
                    for (; y < rows && ((long)y * rowBytes) + kernel.MaxRead <= source.Length; y++)
                    {
                        HorizontalRowVector128(src + ((long)y * rowBytes), dst + ((long)y * outRowBytes), kernel.Kernel.OutSize, bounds, coefficients, kernel.VectorsPerPixel);
                    }
                }
            }
        }

        for (; y < rows; y++)
        {
            HorizontalRowScalar(source.Slice(y * rowBytes, rowBytes), destination.Slice(y * outRowBytes, outRowBytes), kernel.Kernel);
        }
    }

    private static void HorizontalRowScalar(ReadOnlySpan<byte> row, Span<byte> output, ResampleKernel kernel)
    {
        int[] bounds = kernel.Bounds;
        int[] coefficients = kernel.Coefficients;
        for (int xx = 0; xx < kernel.OutSize; xx++)
        {
            int xmin = bounds[xx * 2];
            int xmax = bounds[(xx * 2) + 1];
            int k = xx * kernel.KernelSize;
            int ss0 = Half, ss1 = Half, ss2 = Half;
            for (int x = 0; x < xmax; x++)
            {
                int s = (x + xmin) * 3;
                int c = coefficients[k + x];
                ss0 += row[s] * c;
                ss1 += row[s + 1] * c;
                ss2 += row[s + 2] * c;
            }

            output[xx * 3] = Clip8(ss0);
            output[(xx * 3) + 1] = Clip8(ss1);
            output[(xx * 3) + 2] = Clip8(ss2);
        }
    }

    private static void VerticalPass(ReadOnlySpan<byte> source, int rowBytes, Span<byte> destination, int outHeight, ResampleKernel kernel, int rowShift, ResampleCode code)
    {
        int[] bounds = kernel.Bounds;
        int[] coefficients = kernel.Coefficients;
        for (int yy = 0; yy < outHeight; yy++)
        {
            int ymin = bounds[yy * 2] - rowShift;
            int ymax = bounds[(yy * 2) + 1];
            ReadOnlySpan<int> k = coefficients.AsSpan(yy * kernel.KernelSize, ymax);
            Span<byte> output = destination.Slice(yy * rowBytes, rowBytes);
            int done = code switch
            {
                ResampleCode.Avx2 => VerticalRowAvx2(source, rowBytes, ymin, k, output),
                ResampleCode.Vector128 => VerticalRowVector128(source, rowBytes, ymin, k, output),
                _ => 0,
            };
            for (int i = done; i < rowBytes; i++)
            {
                int ss = Half;
                for (int y = 0; y < k.Length; y++)
                {
                    ss += source[((y + ymin) * rowBytes) + i] * k[y];
                }

                output[i] = Clip8(ss);
            }
        }
    }

    private static void HorizontalTwoRowsAvx2(byte* row0, int rowBytes, byte* out0, int outRowBytes, int outWidth, int* bounds, int* coefficients, int maxPairs)
    {
        byte* row1 = row0 + rowBytes;
        byte* out1 = out0 + outRowBytes;
        Vector256<int> start = Vector256.Create(Half, Half, Half, 0, 0, 0, 0, 0);
        for (int xx = 0; xx < outWidth; xx++)
        {
            int offset = bounds[xx * 2] * 3;
            int pairs = (bounds[(xx * 2) + 1] + 1) >> 1;
            int* k = coefficients + (xx * maxPairs * 8);
            Vector256<int> acc0 = start;
            Vector256<int> acc1 = start;
            byte* p0 = row0 + offset;
            byte* p1 = row1 + offset;
            for (int j = 0; j < pairs; j++)
            {
                Vector256<int> c = Avx.LoadVector256(k + (j * 8));
                acc0 = Avx2.Add(acc0, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(p0 + (j * 6)), c));
                acc1 = Avx2.Add(acc1, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(p1 + (j * 6)), c));
            }

            StorePixel(acc0, out0 + (xx * 3));
            StorePixel(acc1, out1 + (xx * 3));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePixel(Vector256<int> acc, byte* destination)
    {
        // Lanes 0-2 hold the first pixel's R G B sums, lanes 3-5 the second's: add them, then shift and saturate
        // to bytes (saturation is Pillow's clip8).
        Vector256<int> folded = Avx2.Add(acc, Avx2.PermuteVar8x32(acc, Vector256.Create(3, 4, 5, 6, 7, 0, 1, 2)));
        Vector128<int> sums = Sse2.ShiftRightArithmetic(folded.GetLower(), ResampleKernel.PrecisionBits);
        Vector128<short> words = Sse2.PackSignedSaturate(sums, sums);
        uint rgb = Sse2.PackUnsignedSaturate(words, words).AsUInt32().ToScalar();
        *(ushort*)destination = (ushort)rgb;
        destination[2] = (byte)(rgb >> 16);
    }

    private static int VerticalRowAvx2(ReadOnlySpan<byte> source, int rowBytes, int ymin, ReadOnlySpan<int> k, Span<byte> output)
    {
        int done = 0;
        Vector256<int> half = Vector256.Create(Half);
        Vector256<int> order = Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7);
        fixed (byte* src = source)
        fixed (byte* dst = output)
        fixed (int* kp = k)
        {
            byte* first = src + ((long)ymin * rowBytes);
            for (; done + 32 <= rowBytes; done += 32)
            {
                Vector256<int> a0 = half, a1 = half, a2 = half, a3 = half;
                byte* s = first + done;
                for (int y = 0; y < k.Length; y++, s += rowBytes)
                {
                    Vector256<int> c = Vector256.Create(kp[y]);
                    a0 = Avx2.Add(a0, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(s), c));
                    a1 = Avx2.Add(a1, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(s + 8), c));
                    a2 = Avx2.Add(a2, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(s + 16), c));
                    a3 = Avx2.Add(a3, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(s + 24), c));
                }

                Vector256<short> w01 = Avx2.PackSignedSaturate(Avx2.ShiftRightArithmetic(a0, ResampleKernel.PrecisionBits), Avx2.ShiftRightArithmetic(a1, ResampleKernel.PrecisionBits));
                Vector256<short> w23 = Avx2.PackSignedSaturate(Avx2.ShiftRightArithmetic(a2, ResampleKernel.PrecisionBits), Avx2.ShiftRightArithmetic(a3, ResampleKernel.PrecisionBits));
                Vector256<byte> bytes = Avx2.PackUnsignedSaturate(w01, w23);
                Avx.Store(dst + done, Avx2.PermuteVar8x32(bytes.AsInt32(), order).AsByte());
            }

            for (; done + 8 <= rowBytes; done += 8)
            {
                Vector256<int> a = half;
                byte* s = first + done;
                for (int y = 0; y < k.Length; y++, s += rowBytes)
                {
                    a = Avx2.Add(a, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(s), Vector256.Create(kp[y])));
                }

                Vector256<int> shifted = Avx2.ShiftRightArithmetic(a, ResampleKernel.PrecisionBits);
                Vector256<short> w = Avx2.PackSignedSaturate(shifted, shifted);
                Vector256<byte> bytes = Avx2.PackUnsignedSaturate(w, w);
                Vector256<int> ordered = Avx2.PermuteVar8x32(bytes.AsInt32(), order);
                *(ulong*)(dst + done) = ordered.AsUInt64().ToScalar();
            }
        }

        return done;
    }

    private static void HorizontalRowVector128(byte* row, byte* output, int outWidth, int* bounds, int* coefficients, int vectorsPerPixel)
    {
        // One source pixel per step: its 4-byte load (R G B + the next R) widens to four 32-bit lanes, multiplied by
        // [k k k 0]; lanes 0-2 end up holding the R, G and B sums.
        Vector128<int> start = Vector128.Create(Half, Half, Half, 0);
        for (int xx = 0; xx < outWidth; xx++)
        {
            byte* p = row + (bounds[xx * 2] * 3);
            int n = bounds[(xx * 2) + 1];
            int* k = coefficients + (xx * vectorsPerPixel * 4);
            Vector128<int> acc = start;
            for (int t = 0; t < n; t++)
            {
                acc += Widen4(p + (t * 3)) * Vector128.Load(k + (t * 4));
            }

            Vector128<int> clipped = Vector128.Min(Vector128.Max(Vector128.ShiftRightArithmetic(acc, ResampleKernel.PrecisionBits), Vector128<int>.Zero), Vector128.Create(255));
            byte* o = output + (xx * 3);
            o[0] = (byte)clipped.GetElement(0);
            o[1] = (byte)clipped.GetElement(1);
            o[2] = (byte)clipped.GetElement(2);
        }
    }

    private static int VerticalRowVector128(ReadOnlySpan<byte> source, int rowBytes, int ymin, ReadOnlySpan<int> k, Span<byte> output)
    {
        int done = 0;
        Vector128<int> half = Vector128.Create(Half);
        Vector128<int> max = Vector128.Create(255);
        fixed (byte* src = source)
        fixed (byte* dst = output)
        fixed (int* kp = k)
        {
            byte* first = src + ((long)ymin * rowBytes);
            for (; done + 16 <= rowBytes; done += 16)
            {
                Vector128<int> a0 = half, a1 = half, a2 = half, a3 = half;
                byte* s = first + done;
                for (int y = 0; y < k.Length; y++, s += rowBytes)
                {
                    Vector128<int> c = Vector128.Create(kp[y]);
                    (Vector128<ushort> lo, Vector128<ushort> hi) = Vector128.Widen(Vector128.Load(s));
                    (Vector128<uint> w0, Vector128<uint> w1) = Vector128.Widen(lo);
                    (Vector128<uint> w2, Vector128<uint> w3) = Vector128.Widen(hi);
                    a0 += w0.AsInt32() * c;
                    a1 += w1.AsInt32() * c;
                    a2 += w2.AsInt32() * c;
                    a3 += w3.AsInt32() * c;
                }

                Vector128<short> s01 = Vector128.Narrow(Clip(a0, max), Clip(a1, max));
                Vector128<short> s23 = Vector128.Narrow(Clip(a2, max), Clip(a3, max));
                Vector128.Narrow(s01.AsUInt16(), s23.AsUInt16()).Store(dst + done);
            }
        }

        return done;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Clip(Vector128<int> sum, Vector128<int> max) =>
        Vector128.Min(Vector128.Max(Vector128.ShiftRightArithmetic(sum, ResampleKernel.PrecisionBits), Vector128<int>.Zero), max);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Widen4(byte* p)
    {
        Vector128<byte> bytes = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<uint>(p)).AsByte();
        return Vector128.WidenLower(Vector128.WidenLower(bytes)).AsInt32();
    }

    private static void Nearest(ReadOnlySpan<byte> source, int width, int height, Span<byte> destination, int outWidth, int outHeight)
    {
        // Geometry.c ImagingScaleAffine: positions accumulate in double from half a step, truncated to a pixel.
        int[] xTable = ArrayPool<int>.Shared.Rent(outWidth);
        try
        {
            double ax = (double)width / outWidth;
            double ay = (double)height / outHeight;
            double xo = ax * 0.5;
            for (int x = 0; x < outWidth; x++)
            {
                int xin = xo < 0.0 ? -1 : (int)xo;
                xTable[x] = xin >= 0 && xin < width ? xin : -1;
                xo += ax;
            }

            double yo = ay * 0.5;
            for (int y = 0; y < outHeight; y++)
            {
                int yi = yo < 0.0 ? -1 : (int)yo;
                Span<byte> output = destination.Slice(y * outWidth * 3, outWidth * 3);
                output.Clear();
                if (yi >= 0 && yi < height)
                {
                    ReadOnlySpan<byte> row = source.Slice(yi * width * 3, width * 3);
                    for (int x = 0; x < outWidth; x++)
                    {
                        if (xTable[x] >= 0)
                        {
                            row.Slice(xTable[x] * 3, 3).CopyTo(output.Slice(x * 3, 3));
                        }
                    }
                }

                yo += ay;
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(xTable);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte Clip8(int value)
    {
        int v = value >> ResampleKernel.PrecisionBits;
        return v < 0 ? (byte)0 : v > 255 ? (byte)255 : (byte)v;
    }
}
