namespace ImageClassifier.Tests.Inference;

/// <summary>
/// Real ONNX files made broken in the ways a registry can hand one over, from the official models'
/// bytes: cut short, and one that opens and runs but answers NaN.
/// </summary>
public static class BrokenModels
{
    // onnx.proto: ModelProto.graph = 7, GraphProto.initializer = 5; TensorProto.data_type = 2
    // (1 = FLOAT), float_data = 4 (packed) and raw_data = 9.
    private const int GraphField = 7;
    private const int InitializerField = 5;
    private const int DataTypeField = 2;
    private const int FloatDataField = 4;
    private const int RawDataField = 9;
    private const int FloatType = 1;

    /// <summary>The first half of the file: not a model.</summary>
    public static byte[] Truncated(byte[] onnx) => onnx[..(onnx.Length / 2)];

    /// <summary>
    /// The same model with every float initializer (the quantisation scales, the biases) set to
    /// NaN, written in place so the protobuf keeps its shape: it opens and runs, and every output is NaN.
    /// </summary>
    public static byte[] AnsweringNaN(byte[] onnx)
    {
        var bytes = (byte[])onnx.Clone();
        var patched = 0;
        foreach (var (graphStart, graphLength) in LengthDelimited(bytes, 0, bytes.Length, GraphField))
        {
            foreach (var (tensorStart, tensorLength) in LengthDelimited(bytes, graphStart, graphLength, InitializerField))
            {
                var isFloat = Varints(bytes, tensorStart, tensorLength, DataTypeField).Contains((ulong)FloatType);
                var data = LengthDelimited(bytes, tensorStart, tensorLength, FloatDataField)
                    .Concat(LengthDelimited(bytes, tensorStart, tensorLength, RawDataField));
                foreach (var (start, length) in isFloat ? data : [])
                {
                    for (var at = start; at + sizeof(float) <= start + length; at += sizeof(float))
                    {
                        BitConverter.TryWriteBytes(bytes.AsSpan(at, sizeof(float)), float.NaN);
                    }

                    patched++;
                }
            }
        }

        Assert.True(patched > 0, "The model has no float initializers to set to NaN.");
        return bytes;
    }

    private static List<(int Start, int Length)> LengthDelimited(byte[] bytes, int start, int length, int field)
    {
        var found = new List<(int, int)>();
        Walk(bytes, start, length, (number, wireType, value, at) =>
        {
            if (number == field && wireType == 2)
            {
                found.Add((at, (int)value));
            }
        });
        return found;
    }

    private static List<ulong> Varints(byte[] bytes, int start, int length, int field)
    {
        var found = new List<ulong>();
        Walk(bytes, start, length, (number, wireType, value, _) =>
        {
            if (number == field && wireType == 0)
            {
                found.Add(value);
            }
        });
        return found;
    }

    /// <summary>The fields of one message: for a varint its value, for a length-delimited field its length and where it starts.</summary>
    private static void Walk(byte[] bytes, int start, int length, Action<int, int, ulong, int> field)
    {
        var at = start;
        while (at < start + length)
        {
            var key = Varint(bytes, ref at);
            var (number, wireType) = ((int)(key >> 3), (int)(key & 7));
            switch (wireType)
            {
                case 0:
                    field(number, wireType, Varint(bytes, ref at), at);
                    break;
                case 1:
                    at += 8;
                    break;
                case 2:
                    var size = Varint(bytes, ref at);
                    field(number, wireType, size, at);
                    at += (int)size;
                    break;
                case 5:
                    at += 4;
                    break;
                default:
                    throw new InvalidDataException($"Wire type {wireType} at byte {at} is not protobuf's.");
            }
        }
    }

    private static ulong Varint(byte[] bytes, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var next = bytes[at++];
            value |= (ulong)(next & 0x7F) << shift;
            if (next < 0x80)
            {
                return value;
            }
        }
    }
}
