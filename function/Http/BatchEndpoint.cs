using CloudNative.CloudEvents;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Http;

/// <summary>
/// A CloudEvents batch: each event handled as if it had come alone, a few at a time, and the
/// replies answered as a batch in the events' order. A failed event gets a failure reply in
/// its place; an event of the function's own reply type gets none, so that it cannot loop.
/// </summary>
internal sealed class BatchEndpoint(
    RequestReader reader,
    RequestProcessor processor,
    ReplyBuilder replies,
    CloudEventHttpBinding binding,
    IOptions<BatchOptions> options)
{
    public async Task HandleAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var entries = await reader.ReadBatchAsync(context.Request, cancellationToken);
        var outcomes = new RequestOutcome[entries.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Value.Concurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, entries.Count), parallel,
            async (index, token) => outcomes[index] = await ProcessAsync(entries[index], token));

        List<CloudEvent> answers = [];
        for (var index = 0; index < entries.Count; index++)
        {
            if (outcomes[index] is { Reply: { } reply })
            {
                answers.Add(reply);
            }
            else if (outcomes[index].Problem is { } problem)
            {
                answers.Add(replies.BuildFailure(problem, entries[index].Incoming?.Request?.Url));
            }
        }

        if (answers.Count == 0)
        {
            context.Response.StatusCode = StatusCodes.Status202Accepted;
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        await binding.WriteBatchAsync(answers, context.Response, cancellationToken);
    }

    private async Task<RequestOutcome> ProcessAsync(BatchEntry entry, CancellationToken cancellationToken) =>
        entry switch
        {
            { Incoming: { } incoming } => await processor.ProcessAsync(incoming, cancellationToken),
            { Failure: { } failure } => processor.Reject(RequestForm.Batch, entry.Event, failure),
            _ => throw new ArgumentException("A batch entry is either read or failed.", nameof(entry)),
        };
}
