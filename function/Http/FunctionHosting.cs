using ImageClassifier.Inference;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Http;

/// <summary>The web host as Knative runs it: one port, health endpoints, the function on POST /.</summary>
public static class FunctionHosting
{
    /// <summary>Tag of the health checks that decide readiness (not liveness).</summary>
    public const string ReadyTag = "ready";

    public static WebApplicationBuilder AddFunctionHosting(this WebApplicationBuilder builder)
    {
        // Knative and the buildpack's Procfile give the port in $PORT; nothing else decides it.
        var port = builder.Configuration.GetValue("PORT", 8080);
        if (port is < 1 or > 65535)
        {
            throw new InvalidOperationException($"PORT must be between 1 and 65535, not {port}.");
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenAnyIP(port);
            kestrel.AddServerHeader = false;

            // Requests come from Knative's queue-proxy in the same pod, so a slow header or body
            // is a stuck sender holding a slot of the function's concurrency, not a slow network.
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 1024, gracePeriod: TimeSpan.FromSeconds(10));
        });

        // The server's backstop above the edge's own per-form limits: the largest body any form may have.
        builder.Services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<EdgeOptions>>((kestrel, edge) => kestrel.Limits.MaxRequestBodySize = edge.Value.MaxBodyBytes);

        builder.Services.AddHealthChecks()
            .AddCheck<ShutdownHealthCheck>("shutdown", tags: [ReadyTag]);
        AddGracefulShutdown(builder.Services, builder.Configuration);
        builder.Services.AddHttpEdge(builder.Configuration);
        builder.Services.AddAdmissionControl(builder.Configuration);
        builder.Services.AddSingleton<IWarmUp, PipelineWarmUp>();
        return builder;
    }

    /// <summary>
    /// SIGTERM: readiness and POST / answer 503 at once, the drain keeps answering so for a
    /// while, then the server stops listening and lets in-flight requests finish, all within
    /// SHUTDOWN_TIMEOUT_SECONDS; the process then exits 0.
    /// </summary>
    private static void AddGracefulShutdown(IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ShutdownOptions>(configuration)
            .Validate(options => options.DrainSeconds < options.TimeoutSeconds,
                "SHUTDOWN_DRAIN_SECONDS must be less than SHUTDOWN_TIMEOUT_SECONDS, so in-flight requests have time to finish.");
        services.AddOptions<HostOptions>()
            .Configure<IOptions<ShutdownOptions>>((host, shutdown) => host.ShutdownTimeout = shutdown.Value.Timeout);
        services.AddHostedService<ShutdownDrain>();
    }

    public static WebApplication MapFunction(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        app.UseStatusCodePages();
        app.UseAdmissionControl();
        app.MapPost("/", context => context.RequestServices.GetRequiredService<FunctionEndpoint>().HandleAsync(context))
            .RequireRateLimiting(AdmissionControl.PolicyName);
        return app;
    }
}
