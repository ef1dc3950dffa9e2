using System.Buffers.Binary;
using System.Text;

namespace Embeddings.Local;

/// <summary>
/// Reads small scalar constants (the dual encoders' <c>logit_scale</c> and <c>logit_bias</c>) out of an ONNX file's
/// protobuf without loading its weights: <c>ModelProto.graph</c> → <c>GraphProto.initializer</c> (and
/// <c>Constant</c> nodes) → <c>TensorProto</c>. Large fields are skipped by seeking, so a multi-gigabyte model costs
/// a few reads.
/// </summary>
internal static class OnnxInitializerReader
{
    // Protobuf wire types.
    private const int Varint = 0;
    private const int Fixed64 = 1;
    private const int LengthDelimited = 2;
    private const int Fixed32 = 5;

    // TensorProto.DataType.
    private const int FloatType = 1;
    private const int Float16Type = 10;
    private const int DoubleType = 11;

    private const int MaxInlineBytes = 64;

    /// <summary>Finds scalar tensors by name: an initializer or <c>Constant</c> output whose name is
    /// <paramref name="names"/>' entry, or ends with <c>.</c> or <c>/</c> followed by it.</summary>
    /// <param name="path">The .onnx file.</param>
    /// <param name="names">The names wanted, for example <c>logit_scale</c>.</param>
    /// <returns>The value of each name found (single-element tensors only).</returns>
    /// <exception cref="InvalidDataException">The file is not a readable ONNX protobuf, or a matching tensor is not a
    /// single float.</exception>
    public static Dictionary<string, double> ReadScalars(string path, IReadOnlyCollection<string> names)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096, FileOptions.RandomAccess);
        var reader = new ProtoReader(stream);
        var found = new Dictionary<string, double>(StringComparer.Ordinal);
        long end = stream.Length;
        while (reader.Position < end)
        {
            (int field, int wire) = reader.ReadTag();
            if (field == 7 && wire == LengthDelimited)
            {
                long length = reader.ReadLength();
                ReadGraph(reader, reader.Position + length, names, found);
            }
            else
            {
                reader.SkipField(wire);
            }
        }

        return found;
    }

    private static void ReadGraph(ProtoReader reader, long end, IReadOnlyCollection<string> names, Dictionary<string, double> found)
    {
        while (reader.NextLengthDelimited(end, out int field, out long length))
        {
            long next = reader.Position + length;
            switch (field)
            {
                case 5: // initializer
                    Accept(ReadTensor(reader, next), names, found);
                    break;
                case 1: // node
                    ReadConstantNode(reader, next, names, found);
                    break;
            }

            reader.Seek(next);
        }
    }

    private static void ReadConstantNode(ProtoReader reader, long end, IReadOnlyCollection<string> names, Dictionary<string, double> found)
    {
        string? output = null;
        string? opType = null;
        Tensor? value = null;
        while (reader.NextLengthDelimited(end, out int field, out long length))
        {
            long next = reader.Position + length;
            switch (field)
            {
                case 2: // output
                    output ??= reader.ReadString(length);
                    break;
                case 4: // op_type
                    opType = reader.ReadString(length);
                    break;
                case 5: // attribute
                    value ??= ReadValueAttribute(reader, next);
                    break;
            }

            reader.Seek(next);
        }

        if (opType == "Constant" && output is not null && value is not null)
        {
            Accept(value with { Name = output }, names, found);
        }
    }

    // AttributeProto: name (1), f (2), t (5). Only the attribute named "value" of a Constant carries a tensor.
    private static Tensor? ReadValueAttribute(ProtoReader reader, long end)
    {
        string? name = null;
        Tensor? tensor = null;
        double? single = null;
        while (reader.Position < end)
        {
            (int field, int wire) = reader.ReadTag();
            if (field == 1 && wire == LengthDelimited)
            {
                name = reader.ReadString(reader.ReadLength());
            }
            else if (field == 5 && wire == LengthDelimited)
            {
                long length = reader.ReadLength();
                long next = reader.Position + length;
                tensor = ReadTensor(reader, next);
                reader.Seek(next);
            }
            else if (field == 2 && wire == Fixed32)
            {
                single = BitConverter.Int32BitsToSingle(reader.ReadFixed32());
            }
            else
            {
                reader.SkipField(wire);
            }
        }

        if (name is "value_float" && single is not null)
        {
            return new Tensor("", [single.Value]);
        }

        return name == "value" ? tensor : null;
    }

    // TensorProto: dims (1), data_type (2), float_data (4), int32_data (5, float16 bits), name (8), raw_data (9),
    // double_data (10), data_location (14).
    private static Tensor ReadTensor(ProtoReader reader, long end)
    {
        string name = "";
        int dataType = 0;
        long elements = 1;
        var values = new List<double>();
        var halfBits = new List<int>();
        long rawStart = -1;
        long rawLength = 0;
        bool external = false;
        while (reader.Position < end)
        {
            (int field, int wire) = reader.ReadTag();
            switch (field, wire)
            {
                case (1, Varint):
                    elements *= (long)reader.ReadVarint();
                    break;
                case (1, LengthDelimited):
                    {
                        long next = reader.Position + reader.ReadLength();
                        while (reader.Position < next)
                        {
                            elements *= (long)reader.ReadVarint();
                        }

                        break;
                    }

                case (2, Varint):
                    dataType = (int)reader.ReadVarint();
                    break;
                case (4, Fixed32):
                    values.Add(BitConverter.Int32BitsToSingle(reader.ReadFixed32()));
                    break;
                case (4, LengthDelimited):
                    {
                        long length = reader.ReadLength();
                        if (length > MaxInlineBytes)
                        {
                            reader.SkipBytes(length);
                            values.Add(double.NaN);
                            values.Add(double.NaN);
                            break;
                        }

                        for (long i = 0; i < length / 4; i++)
                        {
                            values.Add(BitConverter.Int32BitsToSingle(reader.ReadFixed32()));
                        }

                        break;
                    }

                case (5, Varint):
                    halfBits.Add((int)reader.ReadVarint());
                    break;
                case (5, LengthDelimited):
                    {
                        long next = reader.Position + reader.ReadLength();
                        while (reader.Position < next)
                        {
                            halfBits.Add((int)reader.ReadVarint());
                        }

                        break;
                    }

                case (8, LengthDelimited):
                    name = reader.ReadString(reader.ReadLength());
                    break;
                case (9, LengthDelimited):
                    rawLength = reader.ReadLength();
                    rawStart = reader.Position;
                    reader.SkipBytes(rawLength);
                    break;
                case (10, Fixed64):
                    values.Add(BitConverter.Int64BitsToDouble(reader.ReadFixed64()));
                    break;
                case (10, LengthDelimited):
                    {
                        long length = reader.ReadLength();
                        for (long i = 0; i < length / 8; i++)
                        {
                            values.Add(BitConverter.Int64BitsToDouble(reader.ReadFixed64()));
                        }

                        break;
                    }

                case (14, Varint):
                    external = reader.ReadVarint() == 1;
                    break;
                default:
                    reader.SkipField(wire);
                    break;
            }
        }

        if (elements != 1 || external)
        {
            // Not a scalar (or its data lives in another file): never a match for the constants read here.
            return new Tensor(name, null);
        }

        if (rawStart >= 0)
        {
            int size = dataType switch { FloatType => 4, Float16Type => 2, DoubleType => 8, _ => 0 };
            if (size == 0 || rawLength != size)
            {
                return new Tensor(name, null);
            }

            long resume = reader.Position;
            reader.Seek(rawStart);
            Span<byte> raw = stackalloc byte[8];
            reader.ReadBytes(raw[..size]);
            reader.Seek(resume);
            double value = dataType switch
            {
                FloatType => BinaryPrimitives.ReadSingleLittleEndian(raw),
                Float16Type => (double)BinaryPrimitives.ReadHalfLittleEndian(raw),
                _ => BinaryPrimitives.ReadDoubleLittleEndian(raw),
            };
            return new Tensor(name, [value]);
        }

        if (dataType == Float16Type && halfBits.Count == 1)
        {
            return new Tensor(name, [(double)BitConverter.Int16BitsToHalf((short)halfBits[0])]);
        }

        return new Tensor(name, values.Count == 1 ? [values[0]] : null);
    }

    private static void Accept(Tensor tensor, IReadOnlyCollection<string> names, Dictionary<string, double> found)
    {
        foreach (string wanted in names)
        {
            if (found.ContainsKey(wanted) || !Matches(tensor.Name, wanted))
            {
                continue;
            }

            if (tensor.Values is not [double value])
            {
                throw new InvalidDataException($"The tensor '{tensor.Name}' is not a single float value.");
            }

            found[wanted] = value;
        }
    }

    private static bool Matches(string name, string wanted) =>
        name == wanted
        || (name.Length > wanted.Length && name.EndsWith(wanted, StringComparison.Ordinal) && name[^(wanted.Length + 1)] is '.' or '/');

    private sealed record Tensor(string Name, double[]? Values);

    /// <summary>A forward protobuf reader over a seekable stream.</summary>
    private sealed class ProtoReader(Stream stream)
    {
        public long Position => stream.Position;

        public void Seek(long position) => stream.Position = position;

        public (int Field, int Wire) ReadTag()
        {
            ulong tag = ReadVarint();
            return ((int)(tag >> 3), (int)(tag & 7));
        }

        public ulong ReadVarint()
        {
            ulong result = 0;
            for (int shift = 0; shift < 64; shift += 7)
            {
                int b = stream.ReadByte();
                if (b < 0)
                {
                    throw new InvalidDataException("The ONNX file ends inside a field.");
                }

                result |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return result;
                }
            }

            throw new InvalidDataException("The ONNX file holds a malformed varint.");
        }

        /// <summary>Moves to the next length-delimited field before <paramref name="end"/>, skipping fields of other
        /// wire types; the reader is left at the field's content.</summary>
        /// <returns><see langword="false"/> when there is none.</returns>
        public bool NextLengthDelimited(long end, out int field, out long length)
        {
            while (Position < end)
            {
                (field, int wire) = ReadTag();
                if (wire == LengthDelimited)
                {
                    length = ReadLength();
                    return true;
                }

                SkipField(wire);
            }

            (field, length) = (0, 0);
            return false;
        }

        public long ReadLength()
        {
            ulong length = ReadVarint();
            if (length > (ulong)(stream.Length - stream.Position))
            {
                throw new InvalidDataException("A field of the ONNX file is longer than the file.");
            }

            return (long)length;
        }

        public int ReadFixed32()
        {
            Span<byte> b = stackalloc byte[4];
            ReadBytes(b);
            return BinaryPrimitives.ReadInt32LittleEndian(b);
        }

        public long ReadFixed64()
        {
            Span<byte> b = stackalloc byte[8];
            ReadBytes(b);
            return BinaryPrimitives.ReadInt64LittleEndian(b);
        }

        public void ReadBytes(Span<byte> destination) => stream.ReadExactly(destination);

        public string ReadString(long length)
        {
            if (length > 4096)
            {
                SkipBytes(length);
                return "";
            }

            Span<byte> bytes = stackalloc byte[(int)length];
            ReadBytes(bytes);
            return Encoding.UTF8.GetString(bytes);
        }

        public void SkipBytes(long length) => stream.Position += length;

        public void SkipField(int wire)
        {
            switch (wire)
            {
                case Varint:
                    ReadVarint();
                    break;
                case Fixed64:
                    SkipBytes(8);
                    break;
                case LengthDelimited:
                    SkipBytes(ReadLength());
                    break;
                case Fixed32:
                    SkipBytes(4);
                    break;
                default:
                    throw new InvalidDataException($"The ONNX file holds an unsupported protobuf wire type {wire}.");
            }
        }
    }
}
