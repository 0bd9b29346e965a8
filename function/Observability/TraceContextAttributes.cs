using System.Diagnostics;
using CloudNative.CloudEvents;

namespace ImageClassifier.Observability;

/// <summary>
/// The CloudEvents distributed-tracing extension: W3C trace context carried as the event's
/// <c>traceparent</c> and <c>tracestate</c> attributes (the SDK version here does not ship it).
/// </summary>
public static class TraceContextAttributes
{
    public static CloudEventAttribute TraceParent { get; } = CloudEventAttribute.CreateExtension("traceparent", CloudEventAttributeType.String);

    public static CloudEventAttribute TraceState { get; } = CloudEventAttribute.CreateExtension("tracestate", CloudEventAttributeType.String);

    /// <summary>The event's trace context, when it carries a valid one.</summary>
    public static ActivityContext? Read(CloudEvent cloudEvent) =>
        cloudEvent[TraceParent.Name] is string traceParent
        && ActivityContext.TryParse(traceParent, cloudEvent[TraceState.Name] as string, isRemote: true, out var context)
            ? context
            : null;

    /// <summary>Puts the span's trace context on an event, so whoever receives it continues the trace.</summary>
    public static void Write(CloudEvent cloudEvent, Activity activity)
    {
        cloudEvent[TraceParent] = activity.Id;
        if (!string.IsNullOrEmpty(activity.TraceStateString))
        {
            cloudEvent[TraceState] = activity.TraceStateString;
        }
    }
}
