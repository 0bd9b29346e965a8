using System.Text;

namespace ImageClassifier.Tests.Inference;

/// <summary>
/// ONNX models written from onnx.proto field by field (no ONNX package here), shaped as the function
/// expects (a float [N,3,224,224] input, a float [N,1000] output) and hostile in what they allocate.
/// </summary>
public static class HostileModels
{
    private const int Classes = 1000;

    /// <summary>
    /// A model whose run broadcasts the input's mean to a float tensor of <paramref name="bytes"/>
    /// (Expand to [1, 1000, bytes / 4000, 1]) and answers its mean per class: a valid model that asks
    /// ONNX Runtime for that much memory at every run. The tensor depends on the input, so no
    /// optimisation computes it at load.
    /// </summary>
    public static byte[] Allocating(long bytes)
    {
        var perClass = bytes / sizeof(float) / Classes;
        var shape = Message(
            Varint(1, 4), // dims: [4]
            Varint(2, 7), // data_type: INT64
            Bytes(7, PackedVarints(1, Classes, perClass, 1)), // int64_data
            Text(8, "shape"));
        var mean = Message(
            Text(1, "input"), Text(2, "mean"), Text(3, "input_mean"), Text(4, "ReduceMean"),
            Bytes(5, Message(Text(1, "keepdims"), Varint(20, 2), Varint(3, 1))));
        var expand = Message(Text(1, "mean"), Text(1, "shape"), Text(2, "big"), Text(3, "broadcast"), Text(4, "Expand"));
        var classMean = Message(
            Text(1, "big"), Text(2, "output"), Text(3, "class_mean"), Text(4, "ReduceMean"),
            Bytes(5, Message(Text(1, "axes"), Varint(20, 7), Varint(8, 2), Varint(8, 3))), // ints: [2, 3]
            Bytes(5, Message(Text(1, "keepdims"), Varint(20, 2), Varint(3, 0))));
        var graph = Message(
            Bytes(1, mean),
            Bytes(1, expand),
            Bytes(1, classMean),
            Text(2, "hostile"),
            Bytes(5, shape),
            Bytes(11, ValueInfo("input", [null, 3, 224, 224])),
            Bytes(12, ValueInfo("output", [null, Classes])));
        return Message(
            Varint(1, 8), // ir_version
            Bytes(7, graph),
            Bytes(8, Message(Text(1, string.Empty), Varint(2, 13)))); // opset 13
    }

    private static byte[] ValueInfo(string name, long?[] dims)
    {
        var shape = Message([.. dims.Select(dim => Bytes(1, dim is { } value ? Message(Varint(1, value)) : Message(Text(2, "N"))))]);
        var tensorType = Message(Varint(1, 1), Bytes(2, shape)); // elem_type FLOAT
        return Message(Text(1, name), Bytes(2, Message(Bytes(1, tensorType))));
    }

    private static byte[] Message(params byte[][] fields) => [.. fields.SelectMany(field => field)];

    private static byte[] Text(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    private static byte[] Bytes(int field, byte[] value) => [.. Raw((ulong)((field << 3) | 2)), .. Raw((ulong)value.Length), .. value];

    private static byte[] Varint(int field, long value) => [.. Raw((ulong)(field << 3)), .. Raw((ulong)value)];

    private static byte[] PackedVarints(params long[] values) => [.. values.SelectMany(value => Raw((ulong)value))];

    private static byte[] Raw(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            var next = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value == 0 ? next : (byte)(next | 0x80));
        }
        while (value != 0);
        return [.. bytes];
    }
}
