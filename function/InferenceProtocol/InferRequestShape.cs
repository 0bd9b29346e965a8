using System.Text.Json;
using ImageClassifier.Edge;

namespace ImageClassifier.InferenceProtocol;

/// <summary>
/// The scan's rules for an inference request, checked before it is deserialised: at most
/// <see cref="InferInputDecoder.MaxBatch"/> inputs and outputs, each input's shape of rank at
/// most <see cref="MaxRank"/>, and no more data elements than its shape holds (whichever of the
/// two comes first in the JSON). A tensor's data is the bulk the general limits leave to these.
/// </summary>
internal struct InferRequestShape : IJsonShapeRules
{
    /// <summary>No tensor a classifier takes or gives has more dimensions.</summary>
    public const int MaxRank = 8;

    /// <summary>Ids, names and datatypes; a tensor's base64 data is bounded by the body instead.</summary>
    public const int MaxStringBytes = 1024;

    /// <summary>Values in an array other than a tensor's data (which its shape bounds), members of an object.</summary>
    public const int MaxValues = 64;

    // The request is the root object (depth 0); "inputs" and "outputs" are its members (depth 1),
    // their elements the tensors (depth 2), and a tensor's members such as "shape" and "data" at depth 3.
    private const int TensorDepth = 2;

    private Member rootMember;
    private Member tensorMember;
    private int inputs;
    private int outputs;
    private bool inInput;
    private int rank;
    private bool hasShape;
    private long shapeElements;
    private long dataElements;

    private enum Member
    {
        Other,
        Inputs,
        Outputs,
        Shape,
        Data,
    }

    /// <summary>Values of the <c>reason</c> tag of <c>imageclassifier.requests.json_refused</c> for these rules.</summary>
    public static class Reasons
    {
        public const string Inputs = "inputs";
        public const string Outputs = "outputs";
        public const string ShapeRank = "shape_rank";
        public const string DataLength = "data_length";
    }

    public readonly bool InBulkData => inInput && tensorMember == Member.Data;

    /// <summary>The general limits an inference request's JSON has.</summary>
    public static JsonShapeLimits Limits => new(JsonShapeScan.MaxDepth, MaxValues, MaxValues, MaxStringBytes);

    public JsonShapeRefusal? Visit(ref Utf8JsonReader reader)
    {
        var depth = reader.CurrentDepth;
        switch (reader.TokenType)
        {
            case JsonTokenType.PropertyName when depth == 1:
                rootMember = reader.ValueTextEquals("inputs"u8) ? Member.Inputs : reader.ValueTextEquals("outputs"u8) ? Member.Outputs : Member.Other;
                return null;
            case JsonTokenType.PropertyName when depth == TensorDepth + 1 && inInput:
                tensorMember = reader.ValueTextEquals("shape"u8) ? Member.Shape : reader.ValueTextEquals("data"u8) ? Member.Data : Member.Other;
                return null;
            case JsonTokenType.StartObject when depth == TensorDepth && rootMember == Member.Inputs:
                inInput = true;
                (rank, hasShape, shapeElements, dataElements, tensorMember) = (0, false, 1, 0, Member.Other);
                return ++inputs > InferInputDecoder.MaxBatch ? TooMany(Reasons.Inputs) : null;
            case JsonTokenType.StartObject when depth == TensorDepth && rootMember == Member.Outputs:
                return ++outputs > InferInputDecoder.MaxBatch ? TooMany(Reasons.Outputs) : null;
            case JsonTokenType.EndObject when depth == TensorDepth && inInput:
                inInput = false;
                return DataBeyondShape();
        }

        if (!inInput)
        {
            return null;
        }

        if (tensorMember == Member.Shape && depth == TensorDepth + 1 && reader.TokenType == JsonTokenType.StartArray)
        {
            hasShape = true;
        }
        else if (tensorMember == Member.Shape && depth == TensorDepth + 2 && reader.TokenType == JsonTokenType.Number)
        {
            if (++rank > MaxRank)
            {
                return new JsonShapeRefusal(Reasons.ShapeRank, InferInputDecoder.Malformed($"An input's shape has more than {MaxRank} dimensions."));
            }

            // Whatever is not a count of elements is left to the deserialiser and the decoder to refuse.
            shapeElements = reader.TryGetInt64(out var size) && size >= 0 ? SaturatingProduct(shapeElements, size) : shapeElements;
        }
        else if (tensorMember == Member.Data && reader.TokenType is JsonTokenType.Number or JsonTokenType.String
            or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null)
        {
            dataElements++;
            if (hasShape && dataElements > shapeElements)
            {
                return DataBeyondShape();
            }
        }

        return null;
    }

    private readonly JsonShapeRefusal? DataBeyondShape() =>
        dataElements > (hasShape ? shapeElements : 0)
            ? new JsonShapeRefusal(Reasons.DataLength, InferInputDecoder.Malformed(
                hasShape ? $"An input has more data elements than its shape holds ({shapeElements})." : "An input has data but no shape."))
            : null;

    private static JsonShapeRefusal TooMany(string what) =>
        new(what, InferInputDecoder.Malformed($"The request has more than {InferInputDecoder.MaxBatch} {what}; the model takes one input and gives one output."));

    private static long SaturatingProduct(long product, long size) =>
        size == 0 ? 0 : product > long.MaxValue / size ? long.MaxValue : product * size;
}
