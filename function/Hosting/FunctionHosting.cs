using ImageClassifier.Delivery;
using ImageClassifier.Edge;
using ImageClassifier.Observability;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Hosting;

/// <summary>
/// The process as Knative runs it: one port (and METRICS_PORT's, when set), the health endpoints, admission at the door of every
/// entry point, a graceful stop on SIGTERM, and a warm-up before readiness.
/// </summary>
public static class FunctionHosting
{
    /// <summary>Tag of the health checks that decide readiness (not liveness).</summary>
    public const string ReadyTag = "ready";

    public const string LivenessPath = "/healthz";

    public const string ReadinessPath = "/readyz";

    public static WebApplicationBuilder AddFunctionHosting(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ServingOptions>().Bind(builder.Configuration).ValidateOnStart<ServingOptions, ServingOptionsValidator>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenAnyIP(kestrel.ApplicationServices.GetRequiredService<IOptions<ServingOptions>>().Value.Port);
            if (kestrel.ApplicationServices.GetRequiredService<IOptions<MetricsOptions>>().Value.Port is { } metricsPort)
            {
                // Only /metrics is answered there (ObservabilityHosting.MapMetrics).
                kestrel.ListenAnyIP(metricsPort);
            }

            kestrel.AddServerHeader = false;

            // Requests come from Knative's queue-proxy in the same pod, so a slow header or body
            // is a stuck sender holding a slot of the pod's containerConcurrency, not a slow network.
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 1024, gracePeriod: TimeSpan.FromSeconds(10));
        });

        // The server's backstop above the edge's own per-form limits: the largest body any form may have.
        builder.Services.AddOptions<KestrelServerOptions>()
            .Configure<BodyLimits>((kestrel, limits) => kestrel.Limits.MaxRequestBodySize = limits.Largest);

        var services = builder.Services;
        services.AddOptions<MetricsOptions>()
            .Configure<IOptions<ServingOptions>>((metrics, serving) => metrics.ServingPort = serving.Value.Port);

        // Replaces Kestrel's own factory (the last registration is the one resolved).
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IMemoryPoolFactory<byte>, LargeBlockMemoryPoolFactory>();
        services.AddOptions<AdmissionOptions>().Bind(builder.Configuration).ValidateOnStart<AdmissionOptions, AdmissionOptionsValidator>();
        services.AddMetrics();
        services.AddSingleton<AdmissionMetrics>();
        services.AddSingleton<IRequestGate, AdmissionControl>();

        AddGracefulShutdown(services, builder.Configuration);

        services.AddSingleton<StartupWarmUp>();
        services.AddHostedService(provider => provider.GetRequiredService<StartupWarmUp>());
        services.AddHealthChecks()
            .AddCheck<ShutdownHealthCheck>("shutdown", tags: [ReadyTag])
            .AddCheck<ModelReadyHealthCheck>("model", tags: [ReadyTag]);
        return builder;
    }

    /// <summary>The health endpoints, and problem bodies for the answers no endpoint writes itself (404, 405).</summary>
    public static WebApplication UseFunctionHosting(this WebApplication app)
    {
        app.MapHealthChecks(LivenessPath, new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks(ReadinessPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        app.UseStatusCodePages();
        return app;
    }

    /// <summary>
    /// SIGTERM: readiness and every entry point answer 503 at once, the drain keeps answering so
    /// for a while, then the server stops listening and lets in-flight requests finish, all within
    /// SHUTDOWN_TIMEOUT_SECONDS; the process then exits 0.
    /// </summary>
    private static void AddGracefulShutdown(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ShutdownOptions>().Bind(configuration).ValidateOnStart<ShutdownOptions, ShutdownOptionsValidator>();
        services.AddOptions<HostOptions>()
            .Configure<IOptions<ShutdownOptions>>((host, shutdown) => host.ShutdownTimeout = shutdown.Value.Timeout);
        services.AddHostedService<ShutdownDrain>();
    }
}
