using System.Text.Json;
using System.Text.Unicode;
using ImageClassifier.Failures;

namespace ImageClassifier.Edge;

/// <summary>
/// Walks a JSON body once with <see cref="Utf8JsonReader"/>, before any DOM or deserialiser sees
/// it, allocating nothing: a body deeper, wider or with longer strings than its form allows, or
/// one that breaks its protocol's own rules (<see cref="IJsonShapeRules"/>), is refused with a
/// problem from the catalogue, and counted. A body that passes says how many tokens it has, so
/// that what its parse allocates is paid from the memory budget first (<see cref="JsonShape.ParseBytes"/>).
/// The inference protocol uses it too, since it reads its bodies with the edge's reader.
/// </summary>
internal sealed class JsonShapeScan(JsonScanMetrics metrics)
{
    /// <summary>
    /// What a parse may hold per token: <see cref="JsonDocument"/> keeps a 12-byte row for each, in
    /// an array it grows by doubling (up to twice the rows needed, beside the half-size array it
    /// copies from: measured at 29 to 39 bytes a token over a parse's whole growth); a
    /// deserialiser's list of numbers (4 bytes each, grown the same way) takes less.
    /// </summary>
    public const int BytesPerToken = 36;

    /// <summary>Nesting no request needs: an event in a batch with its data is 3 deep, a v2 tensor nested by its 4 dimensions 8.</summary>
    public const int MaxDepth = 32;

    /// <summary>Values of the <c>reason</c> tag of <c>imageclassifier.requests.json_refused</c>.</summary>
    public static class Reasons
    {
        public const string Depth = "depth";
        public const string ArrayValues = "array_values";
        public const string ObjectMembers = "object_members";
        public const string StringBytes = "string_bytes";
    }

    /// <summary>
    /// Scans <paramref name="json"/> against <paramref name="limits"/> and <paramref name="rules"/>;
    /// throws what <paramref name="invalid"/> makes of a body that is not JSON, or the refusal of
    /// the first limit it breaks.
    /// </summary>
    public JsonShape Scan<TRules>(ReadOnlySpan<byte> json, JsonShapeLimits limits, ref TRules rules, Func<JsonException, ClassificationException> invalid)
        where TRules : struct, IJsonShapeRules
    {
        // The reader, like JsonDocument, leaves the UTF-8 inside strings unchecked (found by fuzzing).
        if (!Utf8.IsValid(json))
        {
            throw invalid(new JsonException("The JSON text is not valid UTF-8."));
        }

        // The reader's own depth limit is one beyond ours, so that ours is the one that refuses.
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = limits.MaxDepth + 1 });
        Span<int> counts = stackalloc int[limits.MaxDepth + 1];
        Span<bool> inArray = stackalloc bool[limits.MaxDepth + 1];
        long tokens = 0;
        try
        {
            while (reader.Read())
            {
                tokens++;
                if (rules.Visit(ref reader) is { } broken)
                {
                    throw Refuse(broken.Reason, broken.Failure);
                }

                Check(ref reader, limits, counts, inArray, rules.InBulkData);
            }
        }
        catch (JsonException e)
        {
            throw invalid(e);
        }

        return new JsonShape(tokens);
    }

    private void Check(ref Utf8JsonReader reader, JsonShapeLimits limits, scoped Span<int> counts, scoped Span<bool> inArray, bool bulk)
    {
        var depth = reader.CurrentDepth;
        var token = reader.TokenType;
        if (token is JsonTokenType.PropertyName)
        {
            if (++counts[depth] > limits.MaxObjectMembers)
            {
                throw Refuse(Reasons.ObjectMembers, $"A JSON object of the body has more than {limits.MaxObjectMembers} members.");
            }
        }
        else if (token is not (JsonTokenType.EndObject or JsonTokenType.EndArray) && depth > 0 && inArray[depth]
            && ++counts[depth] > limits.MaxArrayValues && !bulk)
        {
            throw Refuse(Reasons.ArrayValues, $"A JSON array of the body has more than {limits.MaxArrayValues} values.");
        }

        if (token is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            if (depth >= limits.MaxDepth)
            {
                throw Refuse(Reasons.Depth, $"The body's JSON is nested more than {limits.MaxDepth} deep.");
            }

            counts[depth + 1] = 0;
            inArray[depth + 1] = token is JsonTokenType.StartArray;
        }
        else if (token is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueSpan.Length > limits.MaxStringBytes && !bulk)
        {
            throw Refuse(Reasons.StringBytes, $"A JSON string of the body is longer than {limits.MaxStringBytes} bytes.");
        }
    }

    private ClassificationException Refuse(string reason, string detail) => Refuse(reason, Problems.JsonTooComplex.Failure(detail));

    private ClassificationException Refuse(string reason, ClassificationException failure)
    {
        metrics.RecordRefused(reason);
        return failure;
    }
}

/// <summary>The limits every JSON body of a form has, whatever its protocol's rules add.</summary>
/// <param name="MaxDepth">Arrays and objects nested in one another, at most <see cref="JsonShapeScan.MaxDepth"/>.</param>
/// <param name="MaxArrayValues">Values in one array, outside bulk data.</param>
/// <param name="MaxObjectMembers">Members of one object.</param>
/// <param name="MaxStringBytes">Bytes of one string or member name as sent, outside bulk data.</param>
internal readonly record struct JsonShapeLimits(int MaxDepth, int MaxArrayValues, int MaxObjectMembers, int MaxStringBytes);

/// <summary>What the scan learnt of a body it let through: how many tokens a parse will meet.</summary>
internal readonly record struct JsonShape(long Tokens)
{
    /// <summary>What parsing the body may allocate beside its bytes, to be paid from the memory budget first.</summary>
    public long ParseBytes => Tokens * JsonShapeScan.BytesPerToken;
}

/// <summary>A protocol's own rules, looked at token by token during the scan.</summary>
internal interface IJsonShapeRules
{
    /// <summary>
    /// True while the reader is inside bulk data (an image's base64, a tensor's values), which
    /// the protocol bounds itself: long strings and arrays are allowed there.
    /// </summary>
    bool InBulkData { get; }

    /// <summary>Looks at the token the reader is on, before the general limits; the refusal when the body breaks a rule, else null.</summary>
    JsonShapeRefusal? Visit(ref Utf8JsonReader reader);
}

/// <summary>A broken rule: the <c>reason</c> it is counted under, and the failure answered.</summary>
internal sealed record JsonShapeRefusal(string Reason, ClassificationException Failure);

/// <summary>No rules beyond the general limits: a plain JSON request, a binary-mode event's data.</summary>
internal struct NoJsonShapeRules : IJsonShapeRules
{
    public readonly bool InBulkData => false;

    public readonly JsonShapeRefusal? Visit(ref Utf8JsonReader reader) => null;
}
