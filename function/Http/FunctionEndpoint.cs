using CloudNative.CloudEvents;
using ImageClassifier.Inference;
using ImageClassifier.Observability;

namespace ImageClassifier.Http;

/// <summary>POST /: read the request in whatever form it came, run the function, answer in kind.</summary>
internal sealed class FunctionEndpoint(
    IClassifier classifier,
    RequestReader reader,
    RequestProcessor processor,
    BatchEndpoint batches,
    CloudEventHttpBinding binding,
    FunctionMetrics metrics,
    IHostApplicationLifetime lifetime,
    ILogger<FunctionEndpoint> logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var form = RequestReader.Recognise(context.Request);
        using var active = metrics.TrackActive();
        try
        {
            await ServeAsync(context, form, cancellationToken);
        }
        catch (ClassificationException failure) when (!context.Response.HasStarted)
        {
            processor.Reject(form, null, failure);
            await ProblemWriter.WriteAsync(context.Response, failure, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller went away: there is no one to answer and nothing went wrong here.
        }
        catch (Exception bug) when (!context.Response.HasStarted)
        {
            logger.LogError(bug, "The function failed unexpectedly.");
            processor.RecordInternalError(form);
            await ProblemWriter.WriteInternalErrorAsync(context.Response, cancellationToken);
        }
    }

    private async Task ServeAsync(HttpContext context, RequestForm? form, CancellationToken cancellationToken)
    {
        // Before the body is read: an instance that cannot classify should not spend time receiving an image.
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            metrics.RecordRequestShed(ShedReason.ShuttingDown);
            throw EdgeFailures.ShuttingDown();
        }

        if (!classifier.IsReady)
        {
            metrics.RecordRequestShed(ShedReason.NotReady);
            throw EdgeFailures.NotReady();
        }

        if (form == RequestForm.Batch)
        {
            await batches.HandleAsync(context, cancellationToken);
            return;
        }

        var incoming = await reader.ReadAsync(context.Request, cancellationToken);
        var outcome = await processor.ProcessAsync(incoming, cancellationToken);
        switch (outcome)
        {
            case { Reply: { } reply }:
                var mode = incoming.Form == RequestForm.StructuredCloudEvent ? ContentMode.Structured : ContentMode.Binary;
                context.Response.StatusCode = StatusCodes.Status200OK;
                await binding.WriteAsync(reply, mode, context.Response, cancellationToken);
                break;
            case { Failure: { } failure }:
                await ProblemWriter.WriteAsync(context.Response, failure, cancellationToken);
                break;
            case { Status: StatusCodes.Status500InternalServerError }:
                await ProblemWriter.WriteInternalErrorAsync(context.Response, cancellationToken);
                break;
            default:
                context.Response.StatusCode = outcome.Status;
                break;
        }
    }
}
