using ImageClassifier.Fetching;
using ImageClassifier.Imaging;
using ImageClassifier.Inference;
using ImageClassifier.MLflow;
using ImageClassifier.Observability;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Tests.Harness;

/// <summary>A <see cref="Func"/> over the given stages, with real (unexported) telemetry and default options.</summary>
public static class TestFunc
{
    public static Func Create(
        IImageFetcher fetcher, IImageLoader loader, ITensorWriter writer, IClassifier classifier, IPredictionTracker? tracker = null) =>
        new(fetcher, loader, writer, classifier, Stages(classifier), Options.Create(new FunctionOptions()),
            tracker ?? DisabledPredictionTracker.Instance);

    private static StageRecorder Stages(IClassifier classifier) => new ServiceCollection()
        .AddMetrics()
        .AddSingleton(classifier)
        .AddSingleton(TimeProvider.System)
        .AddSingleton<FunctionMetrics>()
        .AddSingleton<FunctionTracing>()
        .AddSingleton<StageRecorder>()
        .BuildServiceProvider()
        .GetRequiredService<StageRecorder>();
}
