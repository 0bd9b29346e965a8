using System.Diagnostics;
using CloudNative.CloudEvents;
using ImageClassifier.Observability;

namespace ImageClassifier.Http;

/// <summary>
/// Handles one request already read (or one event of a batch) as if it had come alone: its
/// span, its stage timings, the duplicate check, the function, and its one log line.
/// </summary>
internal sealed class RequestProcessor(
    Func func,
    ReplyBuilder replies,
    DuplicateCache duplicates,
    FunctionTracing tracing,
    StageRecorder stages,
    FunctionMetrics metrics,
    RequestLog requestLog,
    ILogger<RequestProcessor> logger)
{
    /// <summary>The status logged for a request whose caller went away before its answer (nginx's convention).</summary>
    public const int ClientClosedRequest = 499;

    public async Task<RequestOutcome> ProcessAsync(IncomingRequest incoming, CancellationToken cancellationToken)
    {
        var form = RequestFormNames.Of(incoming.Form);
        using var span = tracing.StartRequest(incoming.Event, form);
        var timings = stages.Begin();
        var duplicate = false;
        RequestOutcome outcome;
        try
        {
            if (incoming.IsOwnReply)
            {
                outcome = RequestOutcome.Acknowledged;
            }
            else
            {
                (var reply, duplicate) = await ReplyAsync(incoming.Event, incoming.Request, span, cancellationToken);
                outcome = RequestOutcome.Replied(reply);
            }
        }
        catch (ClassificationException failure)
        {
            outcome = RequestOutcome.Failed(failure);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            stages.Finish(timings);
            Complete(Summary(incoming.Event, incoming.Request, form, ClientClosedRequest, timings));
            throw;
        }
        catch (Exception bug)
        {
            logger.LogError(bug, "The function failed unexpectedly.");
            outcome = RequestOutcome.InternalError;
        }

        stages.Finish(timings);
        if (outcome.Status >= StatusCodes.Status400BadRequest)
        {
            span?.SetStatus(ActivityStatusCode.Error, outcome.ProblemSlug);
        }

        if (duplicate)
        {
            metrics.RecordDuplicate();
        }

        var summary = Summary(incoming.Event, incoming.Request, form, outcome.Status, timings) with
        {
            Problem = outcome.ProblemSlug,
            Top1 = outcome.Reply?.Data is ReplyData { Predictions: [var top, ..] } ? top.Label : null,
            Duplicate = duplicate,
        };
        Complete(summary, outcome.Failure?.InnerException);
        return outcome;
    }

    /// <summary>Records a request (or batch entry) that failed before it could be handled.</summary>
    public RequestOutcome Reject(RequestForm? form, CloudEvent? cloudEvent, ClassificationException failure)
    {
        var outcome = RequestOutcome.Failed(failure);
        Complete(Summary(cloudEvent, null, RequestFormNames.Of(form), outcome.Status, null) with { Problem = failure.Problem },
            failure.InnerException);
        return outcome;
    }

    /// <summary>Records a request that hit a bug before it could be handled (the bug is logged by the caller).</summary>
    public void RecordInternalError(RequestForm? form) =>
        Complete(new RequestSummary(RequestFormNames.Of(form), StatusCodes.Status500InternalServerError, ProblemMapping.InternalErrorSlug));

    private async Task<(CloudEvent Reply, bool Duplicate)> ReplyAsync(
        CloudEvent? cloudEvent, ClassificationRequest request, Activity? span, CancellationToken cancellationToken)
    {
        // Only an event has an identity; a plain request sent twice is two requests.
        if (cloudEvent is null)
        {
            return (await ClassifyAsync(request, span, cancellationToken), false);
        }

        return await duplicates.GetOrAddAsync(EventKey.Of(cloudEvent), token => ClassifyAsync(request, span, token), cancellationToken);
    }

    private async Task<CloudEvent> ClassifyAsync(ClassificationRequest request, Activity? span, CancellationToken cancellationToken) =>
        replies.Build(await func.HandleAsync(request, cancellationToken), span);

    private static RequestSummary Summary(CloudEvent? cloudEvent, ClassificationRequest? request, string form, int status, StageTimings? timings) =>
        new(form, status, EventId: cloudEvent?.Id, EventSource: cloudEvent?.Source?.OriginalString, UrlHost: request?.Url?.Host, Timings: timings);

    private void Complete(RequestSummary summary, Exception? exception = null)
    {
        metrics.RecordRequest(summary.Form, summary.Status);
        requestLog.Write(summary, exception);
    }
}
