using System.Diagnostics;
using CloudNative.CloudEvents;
using ImageClassifier.Failures;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Edge;

/// <summary>
/// What an event's attributes may weigh, whatever the body limit allows: each attribute and
/// extension value at most MAX_ATTRIBUTE_BYTES, at most <see cref="MaxExtensions"/> extensions,
/// trace context as W3C Trace Context allows, and a structured event of at most
/// <see cref="MaxEnvelopeBytes"/> besides its image, checked before it is parsed (<see cref="CloudEventShape"/>). An event's attributes are kept
/// in the duplicate cache, written to the log and carried on spans, so none may be large.
/// </summary>
internal sealed class AttributeLimits(IOptions<EdgeOptions> options)
{
    /// <summary>The CloudEvents spec's advice to intermediaries: no more than a few dozen.</summary>
    public const int MaxExtensions = 32;

    /// <summary>The most a structured event may take besides the image in its <c>data_base64</c> (<see cref="CloudEventShape"/>).</summary>
    public const int MaxEnvelopeBytes = 64 * 1024;

    /// <summary>W3C Trace Context: vendors may drop list members past 512 characters.</summary>
    public const int MaxTraceStateChars = 512;

    private const string TraceParent = "traceparent";
    private const string TraceState = "tracestate";

    /// <summary>Refuses an attribute, extension or trace context over its bound, naming it.</summary>
    public void Check(CloudEvent cloudEvent)
    {
        var maxBytes = options.Value.MaxAttributeBytes;
        var extensions = 0;
        foreach (var (attribute, value) in cloudEvent.GetPopulatedAttributes())
        {
            if (attribute.IsExtension)
            {
                extensions++;
            }

            var text = attribute.Format(value);
            if (System.Text.Encoding.UTF8.GetByteCount(text) > maxBytes)
            {
                throw TooLarge(attribute.Name, $"The CloudEvent attribute \"{attribute.Name}\" is longer than {maxBytes} bytes (MAX_ATTRIBUTE_BYTES).");
            }
        }

        if (extensions > MaxExtensions)
        {
            throw Problems.InvalidCloudEvent.Failure($"The CloudEvent has {extensions} extension attributes; at most {MaxExtensions} are read.");
        }

        if (cloudEvent[TraceParent] is string traceParent && !ActivityContext.TryParse(traceParent, null, out _))
        {
            throw Problems.InvalidCloudEvent.Failure("The CloudEvent attribute \"traceparent\" is not a W3C Trace Context traceparent.");
        }

        if (cloudEvent[TraceState] is string { Length: > MaxTraceStateChars })
        {
            throw TooLarge(TraceState, $"The CloudEvent attribute \"tracestate\" is longer than {MaxTraceStateChars} characters, as W3C Trace Context allows.");
        }
    }

    /// <summary>The problem names the attribute in its detail, and as an <c>attribute</c> member for programs.</summary>
    private static ClassificationException TooLarge(string attribute, string detail) =>
        new(Problems.AttributeTooLarge, detail) { Extensions = new Dictionary<string, object?> { ["attribute"] = attribute } };
}
