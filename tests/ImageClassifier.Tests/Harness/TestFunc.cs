using ImageClassifier.Fetching;
using ImageClassifier.Imaging;
using ImageClassifier.Inference;
using ImageClassifier.Memory;
using ImageClassifier.Observability;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Tests.Harness;

/// <summary>A <see cref="Func"/> over the given stages, with real (unexported) telemetry and default options.</summary>
public static class TestFunc
{
    public static Func Create(
        IImageFetcher fetcher, IImageLoader loader, ITensorWriter writer, IClassifier classifier, IPredictionTracker? tracker = null) =>
        new(fetcher, new ImagePreprocessor(loader, writer, Services.GetRequiredService<MemoryBudget>(), TestCpuWorkers.Shared, Options.Create(new ImagingOptions()), TimeProvider.System), classifier,
            Services.GetRequiredService<StageRecorder>(), Options.Create(new FunctionOptions()), tracker ?? DisabledPredictionTracker.Instance);

    /// <summary>Telemetry that nothing exports, and the tests' memory budget.</summary>
    private static readonly ServiceProvider Services = new ServiceCollection()
        .AddMetrics()
        .AddLogging()
        .AddSingleton(TimeProvider.System)
        .AddSingleton<FunctionTracing>()
        .AddSingleton<StageRecorder>()
        .AddMemoryBudget(new ConfigurationBuilder().AddInMemoryCollection([TestMemoryBudget.Setting]).Build())
        .BuildServiceProvider();
}
