using CloudNative.CloudEvents;
using ImageClassifier.Inference;

namespace ImageClassifier.Http;

/// <summary>POST /: read the request in whatever form it came, run the function, answer in kind.</summary>
internal sealed class FunctionEndpoint(
    Func func,
    IClassifier classifier,
    RequestReader reader,
    ReplyBuilder replies,
    CloudEventHttpBinding binding,
    ILogger<FunctionEndpoint> logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        try
        {
            await ServeAsync(context, cancellationToken);
        }
        catch (ClassificationException failure) when (!context.Response.HasStarted)
        {
            Log(failure);
            await ProblemWriter.WriteAsync(context.Response, failure, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller went away: there is no one to answer and nothing went wrong here.
        }
        catch (Exception bug) when (!context.Response.HasStarted)
        {
            logger.LogError(bug, "The function failed unexpectedly.");
            await ProblemWriter.WriteInternalErrorAsync(context.Response, cancellationToken);
        }
    }

    private async Task ServeAsync(HttpContext context, CancellationToken cancellationToken)
    {
        // Before the body is read: a cold instance should not spend time receiving an image it cannot classify.
        if (!classifier.IsReady)
        {
            throw EdgeFailures.NotReady();
        }

        var incoming = await reader.ReadAsync(context.Request, cancellationToken);
        if (incoming.IsOwnReply)
        {
            context.Response.StatusCode = StatusCodes.Status202Accepted;
            return;
        }

        var result = await func.HandleAsync(incoming.Request, cancellationToken);
        var mode = incoming.Form == RequestForm.StructuredCloudEvent ? ContentMode.Structured : ContentMode.Binary;
        context.Response.StatusCode = StatusCodes.Status200OK;
        await binding.WriteAsync(replies.Build(result), mode, context.Response, cancellationToken);
    }

    private void Log(ClassificationException failure)
    {
        var (status, _) = ProblemMapping.StatusAndTitle(failure.Kind);
        var level = status >= StatusCodes.Status500InternalServerError ? LogLevel.Warning : LogLevel.Information;
        logger.Log(level, failure.InnerException, "Request answered with {Status} {Problem}: {Detail}", status, failure.Problem, failure.Message);
    }
}
