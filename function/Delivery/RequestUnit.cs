using System.Diagnostics;
using CloudNative.CloudEvents;

namespace ImageClassifier.Delivery;

/// <summary>One unit of work as the lifecycle sees it: a request, one event of a batch, or an inference request.</summary>
/// <param name="Form">How it arrived.</param>
/// <param name="Event">The CloudEvent that asked, when one did: its identity and trace context.</param>
/// <param name="Url">The image URL, when the request names one (only its host is logged).</param>
internal sealed record RequestUnit(RequestForm? Form, CloudEvent? Event = null, Uri? Url = null);

/// <summary>What a unit's work tells the lifecycle as it goes, for the unit's log line.</summary>
/// <param name="Span">The unit's span, when it is traced; the reply event carries its trace context.</param>
internal sealed class RequestScope(Activity? span)
{
    public Activity? Span { get; } = span;

    /// <summary>The label of the most probable class, once there is a classification.</summary>
    public string? Top1 { get; set; }

    /// <summary>The reply came from the duplicate cache or from the same event already in flight.</summary>
    public bool Duplicate { get; set; }

    /// <summary>The event's identity was known, asking for something else: it was handled as new.</summary>
    public bool DuplicateConflict { get; set; }
}

/// <summary>How one unit ended: a reply, an acknowledgement (no reply), or a failure.</summary>
internal sealed record RequestOutcome<TReply>(TReply? Reply, Failures.ClassificationException? Failure)
    where TReply : class
{
    /// <summary>The status the unit answers (or would answer alone, for an event of a batch).</summary>
    public int Status => Failure?.Type.Status ?? (Reply is null ? StatusCodes.Status202Accepted : StatusCodes.Status200OK);
}
