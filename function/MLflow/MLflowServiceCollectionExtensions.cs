using System.Net.Http.Headers;
using ImageClassifier.Inference;
using ImageClassifier.MLflow.Client;
using ImageClassifier.MLflow.Registry;
using ImageClassifier.MLflow.Tracking;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace ImageClassifier.MLflow;

/// <summary>
/// Registers the MLflow client (one HttpClient whose <see cref="MLflowRequestPolicy"/> adds MLflow's
/// credentials for the tracking server only, refuses plain http and hosts no one named, and
/// follows redirects itself; and a Polly pipeline),
/// prediction tracking (a no-op while <c>MLFLOW_TRACKING_URI</c> is unset) and the registry
/// model source used when <c>MODEL_URI</c> is set.
/// </summary>
public static class MLflowServiceCollectionExtensions
{
    public static IServiceCollection AddMLflow(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MLflowOptions>().Bind(configuration).ValidateOnStart<MLflowOptions, MLflowOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();

        services.AddTransient<MLflowRequestPolicy>();
        services.AddHttpClient(MLflowRestClient.HttpClientName, client =>
            {
                // The pipeline times each attempt and a model download has its own deadline; HttpClient's own timeout would cut downloads.
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("image-classifier", "1.0"));
            })
            // Redirects are followed by the policy, which checks every hop; the handler itself follows none.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .AddHttpMessageHandler<MLflowRequestPolicy>()
            .AddResilienceHandler("mlflow", (pipeline, context) =>
            {
                var settings = context.ServiceProvider.GetRequiredService<IOptions<MLflowOptions>>().Value;
                pipeline.TimeProvider = context.ServiceProvider.GetRequiredService<TimeProvider>();
                if (settings.HttpRequestMaxRetries > 0)
                {
                    // As the Python client: transient failures (connection, 408, 429, 5xx) retried
                    // with exponential backoff from MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR, Retry-After honoured.
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = settings.HttpRequestMaxRetries,
                        BackoffType = DelayBackoffType.Exponential,
                        Delay = TimeSpan.FromSeconds(settings.HttpRequestBackoffFactorSeconds),
                        MaxDelay = TimeSpan.FromSeconds(120),
                        UseJitter = true,
                    });
                }

                pipeline.AddTimeout(TimeSpan.FromSeconds(settings.HttpRequestTimeoutSeconds));
            });

        services.AddSingleton<MLflowRestClient>();
        services.AddSingleton<MLflowTrackingClient>();
        services.AddSingleton<MLflowArtifactClient>();
        services.AddSingleton<MLflowRegistryClient>();
        services.AddSingleton<RegisteredModelSource>();
        services.AddSingleton<IModelSource>(provider => provider.GetRequiredService<RegisteredModelSource>());

        services.AddSingleton<MLflowTrackingMetrics>();
        services.AddSingleton<PendingPredictions>();
        services.AddSingleton<PredictionRunLogger>();
        services.AddSingleton<MLflowPredictionTracker>();
        services.Replace(ServiceDescriptor.Singleton<IPredictionTracker>(provider =>
            provider.GetRequiredService<IOptions<MLflowOptions>>().Value.TrackingEnabled
                ? provider.GetRequiredService<MLflowPredictionTracker>()
                : DisabledPredictionTracker.Instance));
        services.AddHostedService<PredictionTrackingService>();
        return services;
    }
}
