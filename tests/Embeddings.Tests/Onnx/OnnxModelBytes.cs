using System.Text;

namespace Embeddings.Onnx;

/// <summary>
/// Writes minimal ONNX models (protobuf <c>ModelProto</c>, opset 17, IR version 8) for the binding's edge cases that
/// the generated models do not have: an unused initializer (the runtime warns), a double output, a sequence output.
/// </summary>
internal static class OnnxModelBytes
{
    private const int Float = 1;
    private const int Double = 11;

    /// <summary><c>y = Identity(x)</c>, x and y float [n, 2], plus an initializer no node uses.</summary>
    public static byte[] IdentityWithUnusedInitializer() => Model(graph =>
    {
        graph.Message(1, node => node.String(1, "x").String(2, "y").String(3, "identity").String(4, "Identity"));
        graph.String(2, "unused-initializer");
        graph.Message(5, tensor => tensor.Varint(1, 2).Varint(2, Float).String(8, "unused_weight").Bytes(9, new byte[8]));
        graph.Message(11, value => TensorValue(value, "x", Float));
        graph.Message(12, value => TensorValue(value, "y", Float));
    });

    /// <summary><c>y = Cast(x, to=double)</c>: an output type this binding does not read.</summary>
    public static byte[] CastToDouble() => Model(graph =>
    {
        graph.Message(1, node => node.String(1, "x").String(2, "y").String(3, "cast").String(4, "Cast")
            .Message(5, attribute => attribute.String(1, "to").Varint(3, Double).Varint(20, 2)));
        graph.String(2, "cast-to-double");
        graph.Message(11, value => TensorValue(value, "x", Float));
        graph.Message(12, value => TensorValue(value, "y", Double));
    });

    /// <summary><c>y = SequenceConstruct(x)</c>: an output that is not a tensor.</summary>
    public static byte[] SequenceOutput() => Model(graph =>
    {
        graph.Message(1, node => node.String(1, "x").String(2, "y").String(3, "sequence").String(4, "SequenceConstruct"));
        graph.String(2, "sequence-output");
        graph.Message(11, value => TensorValue(value, "x", Float));
        graph.Message(12, value => value.String(1, "y").Message(2, type => type.Message(4, sequence => sequence.Message(1, element => element.Message(1, tensor => tensor.Varint(1, Float))))));
    });

    private static byte[] Model(Action<Writer> graph)
    {
        var model = new Writer();
        model.Varint(1, 8);
        model.Message(8, opset => opset.String(1, string.Empty).Varint(2, 17));
        model.Message(7, graph);
        return model.ToArray();
    }

    // A float-family tensor [n, 2] with a symbolic first dimension.
    private static void TensorValue(Writer value, string name, int elementType) =>
        value.String(1, name).Message(2, type => type.Message(1, tensor => tensor.Varint(1, elementType)
            .Message(2, shape => shape.Message(1, dim => dim.String(2, "n")).Message(1, dim => dim.Varint(1, 2)))));

    private sealed class Writer
    {
        private readonly MemoryStream _stream = new();

        public Writer Varint(int field, long value)
        {
            WriteRaw(((ulong)field << 3) | 0);
            WriteRaw((ulong)value);
            return this;
        }

        public Writer Bytes(int field, byte[] bytes)
        {
            WriteRaw(((ulong)field << 3) | 2);
            WriteRaw((ulong)bytes.Length);
            _stream.Write(bytes);
            return this;
        }

        public Writer String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public Writer Message(int field, Action<Writer> build)
        {
            var inner = new Writer();
            build(inner);
            return Bytes(field, inner.ToArray());
        }

        public byte[] ToArray() => _stream.ToArray();

        private void WriteRaw(ulong value)
        {
            while (value >= 0x80)
            {
                _stream.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }

            _stream.WriteByte((byte)value);
        }
    }
}
