using System.Net;
using ImageClassifier.Imaging;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Fetching;

/// <summary>Registers the one HttpClient that fetches images, with its guard and pipeline.</summary>
public static class FetchingServiceCollectionExtensions
{
    /// <summary>How long a pooled connection lives, so that DNS changes (and the guard's check) are seen again.</summary>
    private static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(2);

    public static IServiceCollection AddImageFetching(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FetchOptions>().Bind(configuration).ValidateOnStart<FetchOptions, FetchOptionsValidator>();
        services.AddImageLimits(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<FetchMetrics>();
        services.TryAddSingleton<GuardedConnector>();

        // One handler for the life of the process: PooledConnectionLifetime already renews
        // connections, so the factory's handler rotation would only add a second mechanism.
        services.AddHttpClient(HttpImageFetcher.HttpClientName, client =>
            {
                // The pipeline's timeouts govern; HttpClient's own 100 s must not interfere.
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.UserAgent.ParseAdd("image-classifier/1.0");
            })
            .ConfigurePrimaryHttpMessageHandler(provider => CreateHandler(
                provider.GetRequiredService<GuardedConnector>(),
                provider.GetRequiredService<IOptions<FetchOptions>>().Value))
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);

        services.AddSingleton<IImageFetcher, HttpImageFetcher>();
        return services;
    }

    private static SocketsHttpHandler CreateHandler(GuardedConnector connector, FetchOptions options) => new()
    {
        ConnectCallback = connector.ConnectAsync,
        ConnectTimeout = options.AttemptTimeout,
        PooledConnectionLifetime = PooledConnectionLifetime,
        // A proxy would connect on our behalf, out of the guard's sight.
        UseProxy = false,
        // Redirects are followed by the fetcher so that every hop is checked.
        AllowAutoRedirect = false,
        // The bytes counted against FETCH_MAX_BYTES are the bytes kept.
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
    };
}
