using ImageClassifier.Fetching;
using ImageClassifier.Imaging;
using ImageClassifier.Inference;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ImageClassifier.Tests.Http;

/// <summary>The whole function in memory with one request slot, <paramref name="queueLimit"/> queue places, and a fetcher that holds requests.</summary>
public sealed class AdmissionAppFactory(int queueLimit) : WebApplicationFactory<Program>
{
    public AdmissionGatedFetcher Fetcher { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("MAX_CONCURRENT_REQUESTS", "1");
        builder.UseSetting("REQUEST_QUEUE_LIMIT", queueLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<IImageFetcher>().AddSingleton<IImageFetcher>(Fetcher);
            services.RemoveAll<IImageLoader>().AddSingleton<IImageLoader>(new FakeImageLoader());
            services.RemoveAll<ITensorWriter>().AddSingleton<ITensorWriter, FakeTensorWriter>();
            services.RemoveAll<IClassifier>().AddSingleton<IClassifier>(new FakeClassifier());
        });
    }
}
