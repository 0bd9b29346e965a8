using CloudNative.CloudEvents;
using ImageClassifier.Failures;

namespace ImageClassifier.Delivery;

/// <summary>One event of a CloudEvents batch as read: ready to handle, or already failed on its own.</summary>
/// <param name="Incoming">The event as a request, when it could be read.</param>
/// <param name="Event">The event, when it could be decoded, even if its data could not be used.</param>
/// <param name="Failure">Why the event cannot be handled, when it cannot.</param>
internal sealed record BatchEntry(IncomingRequest? Incoming, CloudEvent? Event = null, ClassificationException? Failure = null);
