using System.Buffers;
using ImageClassifier.Fetching;
using ImageClassifier.Imaging;
using ImageClassifier.Inference;
using ImageClassifier.MLflow;
using ImageClassifier.Observability;
using Microsoft.Extensions.Options;

namespace ImageClassifier;

/// <summary>
/// The function: get the image, decode it, turn it into the model's tensor, classify it, and
/// say what was found. The edge (Http/) decides how the request arrived and how to answer.
/// </summary>
public sealed class Func(
    IImageFetcher fetcher,
    IImageLoader loader,
    ITensorWriter tensorWriter,
    IClassifier classifier,
    StageRecorder stages,
    IOptions<FunctionOptions> options,
    IPredictionTracker tracker)
{
    public async Task<ClassificationResult> HandleAsync(ClassificationRequest request, CancellationToken cancellationToken)
    {
        var topK = request.TopK ?? options.Value.TopK;
        if (topK < 1 || topK > classifier.ClassCount)
        {
            throw new ClassificationException(FailureKind.BadRequest, "invalid-top-k",
                $"topK must be between 1 and {classifier.ClassCount}.");
        }

        var bytes = await GetImageAsync(request, cancellationToken);

        var spec = classifier.Preprocessing;
        var tensor = ArrayPool<float>.Shared.Rent(spec.TensorLength);
        try
        {
            using (stages.Start(Stage.Preprocess))
            using (var image = loader.Load(bytes))
            {
                tensorWriter.Write(image, spec, tensor.AsSpan(0, spec.TensorLength));
            }

            IReadOnlyList<Prediction> predictions;
            using (stages.Start(Stage.Inference))
            {
                predictions = await classifier.ClassifyAsync(tensor.AsMemory(0, spec.TensorLength), topK, cancellationToken);
            }

            var result = new ClassificationResult(request.Url, classifier.Model, predictions);
            tracker.Track(request, result, bytes);
            return result;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(tensor);
        }
    }

    private async Task<ReadOnlyMemory<byte>> GetImageAsync(ClassificationRequest request, CancellationToken cancellationToken) =>
        request switch
        {
            { Image: { } bytes } => bytes,
            { Url: { } url } => await FetchAsync(url, cancellationToken),
            _ => throw new ClassificationException(FailureKind.BadRequest, "no-image",
                "The request names no image: give a \"url\", or send the image bytes."),
        };

    private async Task<ReadOnlyMemory<byte>> FetchAsync(Uri url, CancellationToken cancellationToken)
    {
        using (stages.Start(Stage.Fetch))
        {
            return await fetcher.FetchAsync(url, cancellationToken);
        }
    }
}
