using ImageClassifier.Failures;
using ImageClassifier.Fetching;
using ImageClassifier.Imaging;
using ImageClassifier.Inference;
using ImageClassifier.Observability;
using Microsoft.Extensions.Options;

namespace ImageClassifier;

/// <summary>
/// The function: get the image, turn it into the model's tensor, classify it, and say what was
/// found. How the request arrived and how it is answered is the entry points' business
/// (ARCHITECTURE.md); what happens around it (admission, duplicates, telemetry) is Delivery's.
/// </summary>
public sealed class Func(
    IImageFetcher fetcher,
    ImagePreprocessor preprocessor,
    IClassifier classifier,
    StageRecorder stages,
    IOptions<FunctionOptions> options,
    IPredictionTracker tracker)
{
    public Task<ClassificationResult> HandleAsync(ClassificationRequest request, CancellationToken cancellationToken) =>
        HandleAsync(request, tracked: true, cancellationToken);

    /// <summary>
    /// The same work, with the prediction recorded only when <paramref name="tracked"/>: the
    /// start-up warm-up comes in here untracked, since its prediction is no one's.
    /// </summary>
    internal async Task<ClassificationResult> HandleAsync(ClassificationRequest request, bool tracked, CancellationToken cancellationToken)
    {
        // The whole request runs on the model serving as it starts, even if another is swapped in meanwhile.
        using var model = classifier.Acquire();
        // TOP_K is a default for any model; a model with fewer classes gives all of them.
        var topK = request.TopK ?? Math.Min(options.Value.TopK, model.ClassCount);
        if (topK < 1 || topK > model.ClassCount)
        {
            throw Problems.InvalidTopK.Failure($"topK must be between 1 and {model.ClassCount}.");
        }

        using var fetched = request.Image is null ? await FetchAsync(request, cancellationToken) : null;
        var image = request.Image ?? fetched!.Bytes;

        TensorBuffer tensor;
        using (stages.Start(Stage.Preprocess))
        {
            tensor = await preprocessor.PrepareAsync(image, model.Preprocessing, cancellationToken);
        }

        using (tensor)
        {
            IReadOnlyList<Prediction> predictions;
            using (stages.Start(Stage.Inference))
            {
                predictions = await model.ClassifyAsync(tensor.Memory, topK, cancellationToken);
            }

            var result = new ClassificationResult(request.Url, model.Model, predictions);
            if (tracked)
            {
                tracker.Track(request, result, image);
            }

            return result;
        }
    }

    private async Task<FetchedImage> FetchAsync(ClassificationRequest request, CancellationToken cancellationToken)
    {
        var url = request.Url ?? throw Problems.NoImage.Failure("The request names no image: give a \"url\", or send the image bytes.");
        using (stages.Start(Stage.Fetch))
        {
            return await fetcher.FetchAsync(url, cancellationToken);
        }
    }
}
