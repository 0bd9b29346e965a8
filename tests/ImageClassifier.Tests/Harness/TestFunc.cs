using ImageClassifier.Fetching;
using ImageClassifier.Imaging;
using ImageClassifier.Inference;
using ImageClassifier.Observability;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Tests.Harness;

/// <summary>A <see cref="Func"/> over the given stages, with real (unexported) telemetry and default options.</summary>
public static class TestFunc
{
    public static Func Create(
        IImageFetcher fetcher, IImageLoader loader, ITensorWriter writer, IClassifier classifier, IPredictionTracker? tracker = null) =>
        new(fetcher, new ImagePreprocessor(loader, writer), classifier, Stages(), Options.Create(new FunctionOptions()),
            tracker ?? DisabledPredictionTracker.Instance);

    private static StageRecorder Stages() => new ServiceCollection()
        .AddMetrics()
        .AddSingleton(TimeProvider.System)
        .AddSingleton<FunctionTracing>()
        .AddSingleton<StageRecorder>()
        .BuildServiceProvider()
        .GetRequiredService<StageRecorder>();
}
