using ImageClassifier.Fetching;
using ImageClassifier.Imaging;
using ImageClassifier.Inference;
using ImageClassifier.Tests.Harness.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace ImageClassifier.Tests.Harness;

/// <summary>
/// The whole function in memory with fakes for fetching, decoding, tensor writing and inference,
/// and a fixed clock, for the edge's and delivery's own behaviour.
/// </summary>
public sealed class FakedFunctionApp(IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    : FunctionApp(Merge(settings), services)
{
    public const string ReplySource = "https://example.com/classifier";

    public const string ReplyType = "com.example.image.classified";

    public static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    public FakeImageFetcher Fetcher { get; } = new();

    public FakeImageLoader Loader { get; } = new();

    public FakeClassifier Classifier { get; } = new();

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.RemoveAll<IImageFetcher>().AddSingleton<IImageFetcher>(Fetcher);
        services.RemoveAll<IImageLoader>().AddSingleton<IImageLoader>(Loader);
        services.RemoveAll<ITensorWriter>().AddSingleton<ITensorWriter, FakeTensorWriter>();
        services.RemoveAll<IClassifier>().AddSingleton<IClassifier>(Classifier);
        services.RemoveAll<TimeProvider>().AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
    }

    /// <summary>The warm-up went through the fakes too; a test sees only what its own requests did.</summary>
    protected override void OnReady()
    {
        Fetcher.Requested.Clear();
        Loader.Loaded.Clear();
    }

    private static Dictionary<string, string?> Merge(IReadOnlyDictionary<string, string?>? settings)
    {
        var merged = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["CE_SOURCE"] = ReplySource,
            ["CE_TYPE"] = ReplyType,
            ["MAX_REQUEST_BYTES"] = "4096",
            ["FETCH_MAX_BYTES"] = "65536",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            merged[key] = value;
        }

        return merged;
    }
}
