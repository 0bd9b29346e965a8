using System.Text.Json;
using ImageClassifier.Failures;

namespace ImageClassifier.Edge;

/// <summary>
/// The scan's rules for structured-mode events and batches: a batch holds at most
/// MAX_BATCH_EVENTS events, and each event, all but the image in its <c>data_base64</c>, at most
/// <see cref="AttributeLimits.MaxEnvelopeBytes"/>: its attributes and its JSON data alike. Both are
/// refused as soon as the scan reaches the excess, before the body is parsed.
/// </summary>
internal struct CloudEventShape : IJsonShapeRules
{
    /// <summary>Values of the <c>reason</c> tag of <c>imageclassifier.requests.json_refused</c> for these rules.</summary>
    public static class Reasons
    {
        public const string Events = "events";
        public const string Envelope = "envelope";
    }

    private readonly int eventDepth;
    private readonly int maxEvents;
    private readonly int maxEventBytes;
    private bool rootIsArray;
    private int events;
    private long eventStart;
    private long base64Bytes;
    private bool inEvent;
    private bool inBase64;

    private CloudEventShape(int eventDepth, int maxEvents, int maxEventBytes)
    {
        this.eventDepth = eventDepth;
        this.maxEvents = maxEvents;
        this.maxEventBytes = maxEventBytes;
        eventStart = -1;
    }

    public readonly bool InBulkData => inBase64;

    /// <summary>One structured-mode event: the body's root object.</summary>
    public static CloudEventShape Event(int maxEventBytes) => new(0, int.MaxValue, maxEventBytes);

    /// <summary>A batch: the root array's elements are the events.</summary>
    public static CloudEventShape Batch(int maxEvents, int maxEventBytes) => new(1, maxEvents, maxEventBytes);

    public JsonShapeRefusal? Visit(ref Utf8JsonReader reader)
    {
        var depth = reader.CurrentDepth;
        var token = reader.TokenType;
        if (depth == 0 && token == JsonTokenType.StartArray)
        {
            rootIsArray = true;
        }

        if (eventDepth == 1 && rootIsArray && depth == 1 && IsValue(token) && ++events > maxEvents)
        {
            return new JsonShapeRefusal(Reasons.Events, Problems.TooManyEvents.Failure(
                $"The CloudEvents batch has more than {maxEvents} events, the limit (MAX_BATCH_EVENTS)."));
        }

        if (depth == eventDepth && token == JsonTokenType.StartObject && (eventDepth == 0 || rootIsArray))
        {
            inEvent = true;
            eventStart = reader.TokenStartIndex;
            base64Bytes = 0;
        }

        if (!inEvent)
        {
            return null;
        }

        if (depth == eventDepth + 1 && token == JsonTokenType.PropertyName)
        {
            inBase64 = reader.ValueTextEquals("data_base64"u8);
        }
        else if (inBase64 && depth == eventDepth + 1 && token == JsonTokenType.String)
        {
            base64Bytes += reader.BytesConsumed - reader.TokenStartIndex;
        }

        var size = reader.BytesConsumed - eventStart - base64Bytes;
        if (size > maxEventBytes)
        {
            return new JsonShapeRefusal(Reasons.Envelope, Problems.CloudEventTooLarge.Failure(
                $"The CloudEvent takes more than {maxEventBytes} bytes besides the image in its data_base64."));
        }

        if (depth == eventDepth && token == JsonTokenType.EndObject)
        {
            inEvent = false;
            inBase64 = false;
        }

        return null;
    }

    private static bool IsValue(JsonTokenType token) =>
        token is not (JsonTokenType.EndObject or JsonTokenType.EndArray or JsonTokenType.PropertyName or JsonTokenType.Comment or JsonTokenType.None);
}
