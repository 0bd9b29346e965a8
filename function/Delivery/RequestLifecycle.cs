using System.Diagnostics;
using ImageClassifier.Failures;
using ImageClassifier.Observability;

namespace ImageClassifier.Delivery;

/// <summary>Writes a failure in an entry point's own wire format (a problem, or a protocol's error body).</summary>
internal delegate Task FailureWriter(HttpResponse response, ClassificationException failure, CancellationToken cancellationToken);

/// <summary>
/// The one lifecycle of every request, whichever entry point it came by (POST /, each event of
/// a batch, the inference protocol's infer). The HTTP request first passes the gate as it arrives:
/// it is shed at once with 503 and Retry-After when the function cannot take it (not ready,
/// shutting down, overloaded, too many bodies arriving). Its body is read holding only a place
/// among the bodies arriving; once it is in, the request waits for a classification slot and holds
/// it while it is served, so a slow sender holds no slot. Each unit of work in it (the request, or
/// each event of a batch) then gets its span, its stage timings, its request metric and its one
/// log line. Entry points only translate their wire format in and out.
/// </summary>
internal sealed class RequestLifecycle(
    IRequestGate gate,
    RequestMetrics metrics,
    FunctionTracing tracing,
    StageRecorder stages,
    RequestLog requestLog,
    ILogger<RequestLifecycle> logger)
{
    /// <summary>The status logged for a request whose caller went away before its answer (nginx's convention).</summary>
    public const int ClientClosedRequest = 499;

    /// <summary>
    /// Serves one HTTP request: lets it in, <paramref name="read"/> reads its body, then, holding a
    /// classification slot, <paramref name="serve"/> runs its units through <see cref="RunAsync"/>
    /// and writes the answer. A failure before any unit ran (refused at the gate, a body that cannot
    /// be read) is counted, logged and answered by <paramref name="writeFailure"/>; a bug is
    /// answered as an internal error, never as a bare 500.
    /// </summary>
    public async Task ServeAsync<TRequest>(
        HttpContext context,
        RequestForm? form,
        Func<CancellationToken, Task<TRequest>> read,
        Func<TRequest, CancellationToken, Task> serve,
        FailureWriter writeFailure)
        where TRequest : IDisposable
    {
        var cancellationToken = context.RequestAborted;
        using var active = metrics.TrackActive();
        try
        {
            TRequest request;
            using (gate.Receive())
            {
                request = await read(cancellationToken);
            }

            using (request)
            using (await gate.AdmitAsync(cancellationToken))
            {
                await serve(request, cancellationToken);
            }
        }
        catch (ClassificationException failure) when (!context.Response.HasStarted)
        {
            Refuse(new RequestUnit(form), failure);
            await WriteFailureAsync(context.Response, failure, writeFailure, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller went away: there is no one to answer and nothing went wrong here.
        }
        catch (Exception bug) when (!context.Response.HasStarted)
        {
            logger.LogError(bug, "The function failed unexpectedly.");
            var failure = InternalError();
            Complete(Summary(new RequestUnit(form), failure.Type.Status, null) with { Problem = failure.Type.Slug });
            await WriteFailureAsync(context.Response, failure, writeFailure, cancellationToken);
        }
    }

    /// <summary>
    /// Runs one unit of work with its span and stage timings, and counts and logs how it ended.
    /// A failure becomes the outcome; a bug becomes an internal-error outcome (and is logged); a
    /// caller that went away is logged as 499 and cancels the rest.
    /// </summary>
    public async Task<RequestOutcome<TReply>> RunAsync<TReply>(
        RequestUnit unit, Func<RequestScope, CancellationToken, Task<TReply?>> work, CancellationToken cancellationToken)
        where TReply : class
    {
        using var span = tracing.StartRequest(unit.Event, RequestFormNames.Of(unit.Form));
        var scope = new RequestScope(span);
        var timings = stages.Begin();
        RequestOutcome<TReply> outcome;
        try
        {
            outcome = new(await work(scope, cancellationToken), null);
        }
        catch (ClassificationException failure)
        {
            outcome = new(null, failure);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            stages.Finish(timings);
            Complete(Summary(unit, ClientClosedRequest, timings));
            throw;
        }
        catch (Exception bug)
        {
            logger.LogError(bug, "The function failed unexpectedly.");
            outcome = new(null, InternalError());
        }

        stages.Finish(timings);
        if (outcome.Failure is { } failed)
        {
            span?.SetStatus(ActivityStatusCode.Error, failed.Type.Slug);
        }

        if (scope.Duplicate)
        {
            metrics.RecordDuplicate();
        }

        if (scope.DuplicateConflict)
        {
            metrics.RecordDuplicateConflict();
        }

        Complete(
            Summary(unit, outcome.Status, timings) with { Problem = outcome.Failure?.Type.Slug, Top1 = scope.Top1, Duplicate = scope.Duplicate },
            outcome.Failure?.InnerException);
        return outcome;
    }

    /// <summary>Counts and logs a unit that failed before it could run, such as an invalid event of a batch or a request shed at the door.</summary>
    public void Refuse(RequestUnit unit, ClassificationException failure) =>
        Complete(Summary(unit, failure.Type.Status, null) with { Problem = failure.Type.Slug }, failure.InnerException, failure.Type.ShedsLoad);

    /// <summary>What a bug answers: the caller learns only that it was not their fault.</summary>
    public static ClassificationException InternalError() =>
        Problems.InternalError.Failure("The function failed unexpectedly; the failure has been logged.");

    /// <summary>Answers a failure: its type's status and headers, then the entry point's body.</summary>
    public static Task WriteFailureAsync(
        HttpResponse response, ClassificationException failure, FailureWriter writeFailure, CancellationToken cancellationToken)
    {
        response.Clear();
        response.StatusCode = failure.Type.Status;
        failure.Type.WriteHeaders(response);
        return writeFailure(response, failure, cancellationToken);
    }

    private static RequestSummary Summary(RequestUnit unit, int status, StageTimings? timings) =>
        new(RequestFormNames.Of(unit.Form), status,
            EventId: TelemetryValue.Cut(unit.Event?.Id), EventSource: TelemetryValue.Cut(unit.Event?.Source?.OriginalString), UrlHost: unit.Url?.Host,
            Timings: timings);

    private void Complete(RequestSummary summary, Exception? exception = null, bool shed = false)
    {
        metrics.RecordRequest(summary.Form, summary.Status);
        requestLog.Write(summary, exception, shed);
    }
}
