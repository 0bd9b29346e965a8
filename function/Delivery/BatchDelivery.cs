using CloudNative.CloudEvents;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Delivery;

/// <summary>
/// A CloudEvents batch: each event delivered as if it had come alone, a few at a time, and the
/// replies returned in the events' order. A failed event gets a failure reply in its place; an
/// event of the function's own reply type gets none, so that it cannot loop.
/// </summary>
internal sealed class BatchDelivery(
    ClassificationDelivery delivery,
    RequestLifecycle lifecycle,
    ReplyBuilder replies,
    IOptions<BatchOptions> options)
{
    /// <summary>The replies, in the events' order; empty when no event gets one.</summary>
    public async Task<IReadOnlyList<CloudEvent>> DeliverAsync(IReadOnlyList<BatchEntry> entries, CancellationToken cancellationToken)
    {
        var outcomes = new RequestOutcome<CloudEvent>[entries.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Value.Concurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, entries.Count), parallel,
            async (index, token) => outcomes[index] = await DeliverAsync(entries[index], token));

        List<CloudEvent> answers = [];
        for (var index = 0; index < entries.Count; index++)
        {
            if (outcomes[index] is { Reply: { } reply })
            {
                answers.Add(reply);
            }
            else if (outcomes[index].Failure is { } failure)
            {
                answers.Add(replies.BuildFailure(failure, entries[index].Incoming?.Request?.Url));
            }
        }

        return answers;
    }

    private async Task<RequestOutcome<CloudEvent>> DeliverAsync(BatchEntry entry, CancellationToken cancellationToken)
    {
        if (entry.Incoming is { } incoming)
        {
            return await delivery.DeliverAsync(incoming, cancellationToken);
        }

        var failure = entry.Failure ?? throw new ArgumentException("A batch entry is either read or failed.", nameof(entry));
        lifecycle.Refuse(new RequestUnit(RequestForm.Batch, entry.Event), failure);
        return new RequestOutcome<CloudEvent>(null, failure);
    }
}
