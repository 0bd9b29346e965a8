using System.Diagnostics;
using CloudNative.CloudEvents;

namespace ImageClassifier.Observability;

/// <summary>
/// The function's spans: one per request (per event of a batch), with a child per stage. A
/// request span continues the trace of the CloudEvent's <c>traceparent</c> when it has one,
/// since that names the event's own origin even when the event came in a batch; otherwise it
/// is a child of the HTTP server span, which continues the HTTP request's <c>traceparent</c>.
/// </summary>
public sealed class FunctionTracing : IDisposable
{
    private readonly ActivitySource source = new(TelemetryNames.ActivitySourceName);

    /// <summary>Starts a request's span; null when nothing listens or the trace is not sampled.</summary>
    public Activity? StartRequest(CloudEvent? cloudEvent, string form)
    {
        var eventContext = cloudEvent is null ? null : TraceContextAttributes.Read(cloudEvent);
        var server = Activity.Current;
        Activity? activity;
        if (eventContext is { } parent)
        {
            ActivityLink[]? links = server is null || server.TraceId == parent.TraceId ? null : [new ActivityLink(server.Context)];
            activity = source.StartActivity("classify", ActivityKind.Consumer, parent, links: links);
        }
        else
        {
            activity = source.StartActivity("classify", cloudEvent is null ? ActivityKind.Internal : ActivityKind.Consumer);
        }

        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("imageclassifier.request.form", form);
            if (cloudEvent is not null)
            {
                // The OpenTelemetry semantic conventions for CloudEvents.
                activity.SetTag("cloudevents.event_id", TelemetryValue.Cut(cloudEvent.Id));
                activity.SetTag("cloudevents.event_source", TelemetryValue.Cut(cloudEvent.Source?.ToString()));
                activity.SetTag("cloudevents.event_type", TelemetryValue.Cut(cloudEvent.Type));
            }
        }

        return activity;
    }

    /// <summary>Starts a stage's span as a child of the current request span.</summary>
    public Activity? StartStage(Stage stage) => source.StartActivity(StageNames.Of(stage));

    public void Dispose() => source.Dispose();
}
