using ImageClassifier.Fetching;
using ImageClassifier.Imaging;
using ImageClassifier.Inference;
using ImageClassifier.Tests.Harness;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ImageClassifier.Tests.MLflow;

/// <summary>
/// Func hands each classification to the tracker with the fetched bytes, and answers the
/// same whether MLflow is there, down or off. The other stages are stand-ins here.
/// </summary>
public sealed class FuncTrackingTests : IAsyncLifetime
{
    private static readonly Uri ImageUrl = new("https://images.example/rocket.jpg");
    private static readonly byte[] Fetched = TestImages.Read("rocket.jpg");
    private MLflowStandIn _mlflow = null!;

    public async Task InitializeAsync() => _mlflow = await MLflowStandIn.StartAsync();

    public async Task DisposeAsync() => await _mlflow.DisposeAsync();

    [Fact]
    public async Task The_fetched_image_is_logged_with_the_answer()
    {
        await using var services = new MLflowServices(_mlflow.BaseAddress, new Dictionary<string, string?> { ["MLFLOW_LOG_IMAGES"] = "true" });
        await services.TrackingService.StartAsync(CancellationToken.None);

        var result = await NewFunc(services.Tracker).HandleAsync(new ClassificationRequest(ImageUrl, null, 1, "event-9"), CancellationToken.None);
        await services.TrackingService.StopAsync(CancellationToken.None);

        var put = Assert.Single(_mlflow.Calls, call => call.Method == "PUT");
        Assert.EndsWith("/artifacts/images/rocket.jpg", put.Path, StringComparison.Ordinal);
        Assert.Equal(Fetched, put.Body);
        Assert.Equal("rocket", Assert.Single(result.Predictions).Label);
    }

    [Fact]
    public async Task The_answer_is_the_same_when_MLflow_is_down_or_off()
    {
        await using var down = new MLflowServices(new Uri("http://127.0.0.1:1/"));
        await down.TrackingService.StartAsync(CancellationToken.None);
        var request = new ClassificationRequest(ImageUrl, null, 2);

        var withMLflowDown = await NewFunc(down.Tracker).HandleAsync(request, CancellationToken.None);
        var withTrackingOff = await NewFunc(DisabledPredictionTracker.Instance).HandleAsync(request, CancellationToken.None);
        await down.TrackingService.StopAsync(CancellationToken.None);

        Assert.Equal(withTrackingOff.Predictions, withMLflowDown.Predictions);
        Assert.Equal(withTrackingOff.Model, withMLflowDown.Model);
        Assert.Equal(1, down.Counters.Dropped("failed"));
    }

    private static Func NewFunc(IPredictionTracker tracker) =>
        TestFunc.Create(new Fetcher(), new Loader(), new Writer(), new Classifier(), tracker);

    private sealed class Fetcher : IImageFetcher
    {
        public Task<FetchedImage> FetchAsync(Uri url, CancellationToken cancellationToken) => Task.FromResult(new FetchedImage(Fetched));
    }

    private sealed class Loader : IImageLoader
    {
        public ImageHeader Identify(ReadOnlyMemory<byte> bytes) => new(1, 1, 3, bytes) { Opaque = true };

        public Image Load(ImageHeader header) => new Image<Rgb24>(1, 1);
    }

    private sealed class Writer : ITensorWriter
    {
        public void Write(DecodedImage image, PreprocessingSpec spec, Span<float> destination) => destination.Clear();
    }

    private sealed class Classifier : IClassifier
    {
        private static readonly Prediction[] Answer = [new(0, "", "rocket", 0.75f), new(1, "", "missile", 0.25f)];

        public bool IsReady => true;

        public ModelInfo Model { get; } = new("stand-in", "00");

        public PreprocessingSpec Preprocessing => PreprocessingSpec.ImageNet;

        public int ClassCount => 2;

        public ModelSignature Signature => throw new NotSupportedException();

        public ModelLease Acquire() => new(this);

        public Task<float[]> InferLogitsAsync(ReadOnlyMemory<float> tensors, int batchSize, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<IReadOnlyList<Prediction>> ClassifyAsync(ReadOnlyMemory<float> tensor, int topK, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<Prediction>>(Answer[..topK]);
    }
}
