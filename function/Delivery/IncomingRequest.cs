using System.Diagnostics.CodeAnalysis;
using CloudNative.CloudEvents;

namespace ImageClassifier.Delivery;

/// <summary>A request as read from HTTP: its form, its event if it was one, and what to classify.</summary>
/// <param name="Form">How it arrived.</param>
/// <param name="Event">The incoming CloudEvent, for the two CloudEvent forms.</param>
/// <param name="Request">What to classify; null when the event is the function's own reply type.</param>
internal sealed record IncomingRequest(RequestForm Form, CloudEvent? Event, ClassificationRequest? Request) : IDisposable
{
    /// <summary>The memory the request's bytes live in, given back when the request is disposed.</summary>
    public IDisposable? Owned { get; init; }

    /// <summary>
    /// The event has the function's own reply type: a Broker sent a reply back in. It is
    /// acknowledged and not classified, so that replies cannot loop.
    /// </summary>
    [MemberNotNullWhen(false, nameof(Request))]
    public bool IsOwnReply => Request is null;

    public void Dispose() => Owned?.Dispose();
}
