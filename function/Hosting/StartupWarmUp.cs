using CloudNative.CloudEvents;
using ImageClassifier.Delivery;
using ImageClassifier.Edge;
using ImageClassifier.Imaging;
using ImageClassifier.Inference;
using ImageClassifier.Observability;

namespace ImageClassifier.Hosting;

/// <summary>
/// One request's work, done once the model is loaded and before the function says it is ready:
/// the built-in image is read as an <c>image/jpeg</c> request and handled by <see cref="Func"/> as
/// a request is (under a model lease, through every stage, with the model's own preprocessing),
/// and its reply event written in both modes, so the JIT has compiled the hot path before the
/// first caller pays for it. It enters below the request lifecycle, so it is not admitted,
/// counted or logged as a request; its prediction is not tracked and its stages are not timed
/// (<see cref="StageRecorder"/>): it is no one's.
/// A warm-up that fails is logged and skipped; it only makes the first request faster.
/// </summary>
internal sealed class StartupWarmUp(
    ModelLoader loader,
    RequestReader reader,
    Func func,
    ReplyBuilder replies,
    CloudEventHttpBinding binding,
    StartupTimeline timeline,
    ILogger<StartupWarmUp> logger) : BackgroundService
{
    private volatile bool done;

    /// <summary>True once the warm-up has run (or failed and been skipped).</summary>
    public bool IsDone => done;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loadStart = timeline.Now;
        try
        {
            await loader.WaitUntilLoadedAsync(stoppingToken);
            timeline.Record(StartupStage.ModelLoad, loadStart);
            var warmUpStart = timeline.Now;
            await WarmUpAsync(stoppingToken);
            timeline.Record(StartupStage.WarmUp, warmUpStart);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception exception) when (!loader.HasFailed)
        {
            logger.LogWarning(exception, "The warm-up failed; the first requests will be slower: {Reason}", exception.Message);
        }
        catch (Exception)
        {
            // No model: the loader has logged why and is stopping the process.
            return;
        }

        done = true;
        timeline.Report(logger);
    }

    private async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        var jpeg = WarmUpImage.Jpeg();
        var request = new DefaultHttpContext().Request;
        request.Method = HttpMethods.Post;
        request.ContentType = WarmUpImage.ContentType;
        request.ContentLength = jpeg.Length;
        request.Body = new MemoryStream(jpeg, writable: false);
        using var incoming = await reader.ReadAsync(request, cancellationToken);

        var reply = replies.Build(await func.HandleAsync(incoming.Request!, tracked: false, cancellationToken));
        foreach (var mode in new[] { ContentMode.Binary, ContentMode.Structured })
        {
            var response = new DefaultHttpContext().Response;
            response.Body = new MemoryStream();
            await binding.WriteAsync(reply, mode, response, cancellationToken);
        }
    }
}
