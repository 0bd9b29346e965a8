using System.Collections.Concurrent;
using System.Net.Http.Headers;
using ImageClassifier.Delivery;
using ImageClassifier.Hosting;
using ImageClassifier.Imaging;
using ImageClassifier.Inference;
using ImageClassifier.Tests.Harness;
using ImageClassifier.Tests.Harness.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ImageClassifier.Tests.Hosting;

/// <summary>
/// The warm-up is a request's work, not a copy of it: it goes through <see cref="Func.HandleAsync(ClassificationRequest, CancellationToken)"/>,
/// under a model lease and with the configured settings, and its prediction is never tracked.
/// </summary>
public sealed class StartupWarmUpTests
{
    /// <summary>Not the default (5), so a classification made with the default instead of the setting shows.</summary>
    private const int TopK = 3;

    [Fact]
    public async Task The_warm_up_classifies_through_the_function_under_a_model_lease()
    {
        var classifier = new LeaseWatchingClassifier();
        await using var app = new FakedFunctionApp(
            new Dictionary<string, string?> { ["TOP_K"] = TopK.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            services => services.RemoveAll<IClassifier>().AddSingleton<IClassifier>(classifier));

        using var client = await app.CreateReadyClientAsync();

        var warmUp = Assert.Single(classifier.Classifications);
        Assert.True(warmUp.UnderLease, "The warm-up classified without holding a model lease.");
        Assert.Equal(TopK, warmUp.TopK);
        Assert.Equal(0, classifier.LeasesHeld);
    }

    [Fact]
    public async Task The_warm_up_prepares_its_image_with_the_models_own_preprocessing()
    {
        var writer = new RecordingTensorWriter();
        await using var app = new FakedFunctionApp(services: services => services
            .RemoveAll<IClassifier>().AddSingleton<IClassifier>(new LeaseWatchingClassifier())
            .RemoveAll<ITensorWriter>().AddSingleton<ITensorWriter>(writer));

        using var client = await app.CreateReadyClientAsync();

        // The load check of the real model behind the fakes writes with that model's spec, not this one.
        Assert.Single(writer.Specs, spec => spec == LeaseWatchingClassifier.OwnPreprocessing);
    }

    [Fact]
    public async Task The_warm_ups_prediction_is_not_tracked_while_a_requests_is()
    {
        var tracker = new RecordingTracker();
        await using var app = new FakedFunctionApp(services: services => services.RemoveAll<IPredictionTracker>().AddSingleton<IPredictionTracker>(tracker));

        using var client = await app.CreateReadyClientAsync();
        var trackedByWarmUp = tracker.Tracked.Count;
        using var body = new ByteArrayContent(WarmUpImage.Jpeg());
        body.Headers.ContentType = new MediaTypeHeaderValue(WarmUpImage.ContentType);
        using var response = await client.PostAsync(new Uri("/", UriKind.Relative), body);
        await Replies.ReadEventAsync(response);

        Assert.Equal(0, trackedByWarmUp);
        Assert.Single(tracker.Tracked);
    }

    [Fact]
    public async Task The_warm_up_runs_on_the_real_model_without_being_logged_as_a_request()
    {
        await using var app = new FunctionApp();

        using var client = await app.CreateReadyClientAsync();
        // The timeline is logged just after readiness turns on, once the warm-up has finished.
        await Eventually.WaitAsync(
            () => app.Logs.Of(typeof(StartupWarmUp).FullName!).Any(entry => entry.Message.Contains("WarmUp", StringComparison.Ordinal)),
            "the start-up timeline, with the warm-up's stage, was never logged");

        Assert.DoesNotContain(app.Logs.Warnings, warning => warning.Contains("warm-up", StringComparison.OrdinalIgnoreCase));
        Assert.Empty(app.Logs.Of(typeof(RequestLog).FullName!));
    }

    /// <summary>The fake classifier, noting for each classification whether a lease was held and what top-k it was asked for.</summary>
    private sealed class LeaseWatchingClassifier : IClassifier
    {
        private readonly FakeClassifier model = new();
        private int leases;

        public ConcurrentQueue<(bool UnderLease, int TopK)> Classifications { get; } = new();

        public int LeasesHeld => Volatile.Read(ref leases);

        public bool IsReady => model.IsReady;

        /// <summary>Not the ImageNet default, so a tensor made with any other spec shows.</summary>
        public static PreprocessingSpec OwnPreprocessing { get; } = PreprocessingSpec.ImageNet with { Layout = TensorLayout.Nhwc, Width = 160, Height = 160 };

        public ModelInfo Model => model.Model;

        public PreprocessingSpec Preprocessing => OwnPreprocessing;

        public int ClassCount => model.ClassCount;

        public ModelSignature Signature => model.Signature;

        public ModelLease Acquire()
        {
            Interlocked.Increment(ref leases);
            return new ModelLease(this, () => Interlocked.Decrement(ref leases));
        }

        public Task<float[]> InferLogitsAsync(ReadOnlyMemory<float> tensors, int batchSize, CancellationToken cancellationToken) =>
            model.InferLogitsAsync(tensors, batchSize, cancellationToken);

        public Task<IReadOnlyList<Prediction>> ClassifyAsync(ReadOnlyMemory<float> tensor, int topK, CancellationToken cancellationToken)
        {
            Classifications.Enqueue((LeasesHeld > 0, topK));
            return model.ClassifyAsync(tensor, topK, cancellationToken);
        }
    }

    private sealed class RecordingTensorWriter : ITensorWriter
    {
        public ConcurrentQueue<PreprocessingSpec> Specs { get; } = new();

        public void Write(DecodedImage image, PreprocessingSpec spec, Span<float> destination)
        {
            Specs.Enqueue(spec);
            destination.Clear();
        }

        public PixelRegion Reads((int Width, int Height) scaled, (int Width, int Height) full, PreprocessingSpec spec) =>
            PixelRegion.Whole(scaled.Width, scaled.Height);
    }

    private sealed class RecordingTracker : IPredictionTracker
    {
        public ConcurrentQueue<ClassificationResult> Tracked { get; } = new();

        public void Track(ClassificationRequest request, ClassificationResult result, ReadOnlyMemory<byte> image) => Tracked.Enqueue(result);
    }
}
