using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Embeddings.Cli.Output;

/// <summary>Writes a 2-D little-endian float32 array in NumPy's .npy format (version 1.0), the layout
/// <c>numpy.load</c> reads.</summary>
internal static class NpyWriter
{
    private static readonly byte[] s_magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0];

    public static void Write(string path, IReadOnlyList<float[]> rows, int columns)
    {
        string header = string.Create(CultureInfo.InvariantCulture,
            $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows.Count}, {columns}), }}");

        // The header (magic, version, length, dict) is padded with spaces and ends in a newline at a multiple of 64 bytes.
        int unpadded = s_magic.Length + 2 + header.Length + 1;
        int padded = (unpadded + 63) / 64 * 64;
        header = header + new string(' ', padded - unpadded) + "\n";

        string temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            file.Write(s_magic);
            Span<byte> length = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(length, checked((ushort)header.Length));
            file.Write(length);
            file.Write(Encoding.ASCII.GetBytes(header));
            foreach (float[] row in rows)
            {
                RawFloatWriter.Write(file, row);
            }
        }

        File.Move(temporary, path, overwrite: true);
    }
}
