using ImageClassifier.Fetching;
using ImageClassifier.Imaging;
using ImageClassifier.Inference;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ImageClassifier.Tests.Http;

/// <summary>The whole function in memory, with fakes for fetching, imaging and inference.</summary>
public sealed class FunctionAppFactory : WebApplicationFactory<Program>
{
    public const string ReplySource = "https://example.com/classifier";

    public const string ReplyType = "com.example.image.classified";

    public static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    public FakeImageFetcher Fetcher { get; } = new();

    public FakeImageLoader Loader { get; } = new();

    public FakeClassifier Classifier { get; } = new();

    public ListLoggerProvider Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("CE_SOURCE", ReplySource);
        builder.UseSetting("CE_TYPE", ReplyType);
        builder.UseSetting("MAX_REQUEST_BYTES", "4096");
        builder.UseSetting("FETCH_MAX_BYTES", "65536");
        builder.UseSetting("SHUTDOWN_DRAIN_SECONDS", "0");
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<IImageFetcher>().AddSingleton<IImageFetcher>(Fetcher);
            services.RemoveAll<IImageLoader>().AddSingleton<IImageLoader>(Loader);
            services.RemoveAll<ITensorWriter>().AddSingleton<ITensorWriter, FakeTensorWriter>();
            services.RemoveAll<IClassifier>().AddSingleton<IClassifier>(Classifier);
            services.RemoveAll<TimeProvider>().AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
        });
    }
}
