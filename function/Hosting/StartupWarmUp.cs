using CloudNative.CloudEvents;
using ImageClassifier.Delivery;
using ImageClassifier.Edge;
using ImageClassifier.Imaging;
using ImageClassifier.Inference;

namespace ImageClassifier.Hosting;

/// <summary>
/// One request's work, done once the model is loaded and before the function says it is ready:
/// the built-in image is read as an <c>image/jpeg</c> request, preprocessed and classified by the
/// services requests use, and its reply event written in both modes, so the JIT has compiled the
/// hot path before the first caller pays for it. The prediction is not tracked: it is no one's.
/// A warm-up that fails is logged and skipped; it only makes the first request faster.
/// </summary>
internal sealed class StartupWarmUp(
    ModelLoader loader,
    RequestReader reader,
    ImagePreprocessor preprocessor,
    IClassifier classifier,
    ReplyBuilder replies,
    CloudEventHttpBinding binding,
    ILogger<StartupWarmUp> logger) : BackgroundService
{
    private volatile bool done;

    /// <summary>True once the warm-up has run (or failed and been skipped).</summary>
    public bool IsDone => done;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await loader.WaitUntilLoadedAsync(stoppingToken);
            await WarmUpAsync(stoppingToken);
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

        IReadOnlyList<Prediction> predictions;
        using (var tensor = await preprocessor.PrepareAsync(incoming.Request!.Image!.Value, classifier.Preprocessing, cancellationToken))
        {
            predictions = await classifier.ClassifyAsync(tensor.Memory, FunctionOptions.DefaultTopK, cancellationToken);
        }

        var reply = replies.Build(new ClassificationResult(null, classifier.Model, predictions));
        foreach (var mode in new[] { ContentMode.Binary, ContentMode.Structured })
        {
            var response = new DefaultHttpContext().Response;
            response.Body = new MemoryStream();
            await binding.WriteAsync(reply, mode, response, cancellationToken);
        }
    }
}
