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
        return lifecycle.ServeAsync(
            context,
            form,
            cancellationToken => form == RequestForm.Batch ? ServeBatchAsync(context, cancellationToken) : ServeAsync(context, cancellationToken),
            ProblemWriter.WriteAsync);
    }

    private async Task ServeAsync(HttpContext context, CancellationToken cancellationToken)
    {
        using var incoming = await reader.ReadAsync(context.Request, cancellationToken);
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

    private async Task ServeBatchAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var (entries, body) = await reader.ReadBatchAsync(context.Request, cancellationToken);
        using var owned = body;
        var answers = await batches.DeliverAsync(entries, cancellationToken);
        if (answers.Count == 0)
        {
            context.Response.StatusCode = StatusCodes.Status202Accepted;
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        await binding.WriteBatchAsync(answers, context.Response, cancellationToken);
    }
}
