using ImageClassifier.MLflow;
using ImageClassifier.MLflow.Tracking;
using ImageClassifier.Tests.Harness;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ImageClassifier.Tests.MLflow;

/// <summary>
/// The MLflow services exactly as <c>AddMLflow</c> registers them, configured by environment
/// variable names, on a fake clock, with their counters and warnings recorded.
/// </summary>
public sealed class MLflowServices : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    public MLflowServices(Uri trackingUri, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["MLFLOW_TRACKING_URI"] = trackingUri.AbsoluteUri,
            ["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] = "0",
            ["MODEL_CACHE_DIR"] = CacheDirectory,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddLogging(logging => logging.AddProvider(Logs));
        services.AddMLflow(configuration);
        _provider = services.BuildServiceProvider();
        Counters = new CounterRecorder(_provider);
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));

    public CapturedLogs Logs { get; } = new();

    public CounterRecorder Counters { get; }

    public string CacheDirectory { get; } = Path.Combine(Path.GetTempPath(), "mlflow-tests-" + Guid.NewGuid().ToString("N"));

    public IPredictionTracker Tracker => Get<IPredictionTracker>();

    public IHostedService TrackingService => _provider.GetServices<IHostedService>().OfType<PredictionTrackingService>().Single();

    public T Get<T>()
        where T : notnull => _provider.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        Counters.Dispose();
        await _provider.DisposeAsync();
        if (Directory.Exists(CacheDirectory))
        {
            Directory.Delete(CacheDirectory, recursive: true);
        }
    }
}
