using CloudNative.CloudEvents;

namespace ImageClassifier.Delivery;

/// <summary>
/// Delivers one classification request (a request to POST /, or one event of a batch) through
/// the lifecycle: an event of the function's own reply types is acknowledged without a reply, so
/// replies cannot loop; an event already answered gets the same reply again (Knative delivers at
/// least once); anything else runs the function and gets a new reply event.
/// </summary>
internal sealed class ClassificationDelivery(RequestLifecycle lifecycle, Func func, ReplyBuilder replies, DuplicateCache duplicates)
{
    public Task<RequestOutcome<CloudEvent>> DeliverAsync(IncomingRequest incoming, CancellationToken cancellationToken) =>
        lifecycle.RunAsync(
            new RequestUnit(incoming.Form, incoming.Event, incoming.Request?.Url),
            (scope, token) => ReplyAsync(incoming, scope, token),
            cancellationToken);

    private async Task<CloudEvent?> ReplyAsync(IncomingRequest incoming, RequestScope scope, CancellationToken cancellationToken)
    {
        if (incoming.IsOwnReply)
        {
            return null;
        }

        // Only an event has an identity; a plain request sent twice is two requests.
        var (reply, source) = incoming.Event is { } cloudEvent
            ? await duplicates.GetOrAddAsync(
                EventKey.Of(cloudEvent), RequestDigest.Of(incoming.Request),
                token => ClassifyAsync(incoming.Request with { EventId = cloudEvent.Id }, scope, token), cancellationToken)
            : (await ClassifyAsync(incoming.Request, scope, cancellationToken), DuplicateCache.Source.New);
        scope.Duplicate = source == DuplicateCache.Source.Duplicate;
        scope.DuplicateConflict = source == DuplicateCache.Source.Conflict;
        scope.Top1 = reply.Data is ReplyData { Predictions: [var top, ..] } ? top.Label : null;
        return reply;
    }

    private async Task<CloudEvent> ClassifyAsync(ClassificationRequest request, RequestScope scope, CancellationToken cancellationToken) =>
        replies.Build(await func.HandleAsync(request, cancellationToken), scope.Span);
}
