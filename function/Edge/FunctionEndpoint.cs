using CloudNative.CloudEvents;
using ImageClassifier.Delivery;

namespace ImageClassifier.Edge;

/// <summary>
/// POST /: reads the request in whichever form it came, hands it to delivery, and answers in
/// kind: a reply event in the request's mode, a batch of replies for a batch, or a problem.
/// </summary>
internal sealed class FunctionEndpoint(
    RequestLifecycle lifecycle,
    RequestReader reader,
    ClassificationDelivery delivery,
    BatchDelivery batches,
    CloudEventHttpBinding binding)
{
    public Task HandleAsync(HttpContext context)
    {
        var form = RequestReader.Recognise(context.Request);
        return form == RequestForm.Batch
            ? lifecycle.ServeAsync(
                context, form, cancellationToken => ReadBatchAsync(context, cancellationToken), (batch, token) => ServeBatchAsync(context, batch, token), ProblemWriter.WriteAsync)
            : lifecycle.ServeAsync(
                context, form, cancellationToken => reader.ReadAsync(context.Request, cancellationToken), (incoming, token) => ServeAsync(context, incoming, token), ProblemWriter.WriteAsync);
    }

    private async Task ServeAsync(HttpContext context, IncomingRequest incoming, CancellationToken cancellationToken)
    {
        var outcome = await delivery.DeliverAsync(incoming, cancellationToken);
        switch (outcome)
        {
            case { Reply: { } reply }:
                var mode = incoming.Form == RequestForm.StructuredCloudEvent ? ContentMode.Structured : ContentMode.Binary;
                context.Response.StatusCode = StatusCodes.Status200OK;
                await binding.WriteAsync(reply, mode, context.Response, cancellationToken);
                break;
            case { Failure: { } failure }:
                await RequestLifecycle.WriteFailureAsync(context.Response, failure, ProblemWriter.WriteAsync, cancellationToken);
                break;
            default:
                context.Response.StatusCode = outcome.Status;
                break;
        }
    }

    private async Task<ReadBatch> ReadBatchAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var (entries, body) = await reader.ReadBatchAsync(context.Request, cancellationToken);
        return new ReadBatch(entries, body);
    }

    private async Task ServeBatchAsync(HttpContext context, ReadBatch batch, CancellationToken cancellationToken)
    {
        var answers = await batches.DeliverAsync(batch.Entries, cancellationToken);
        if (answers.Count == 0)
        {
            context.Response.StatusCode = StatusCodes.Status202Accepted;
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        await binding.WriteBatchAsync(answers, context.Response, cancellationToken);
    }

    /// <summary>A batch as read: its entries, and the body they were read from, paid for until the batch is answered.</summary>
    private sealed record ReadBatch(IReadOnlyList<BatchEntry> Entries, IDisposable Body) : IDisposable
    {
        public void Dispose() => Body.Dispose();
    }
}
