using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ImageClassifier.Observability;

/// <summary>
/// Metrics on <c>GET /metrics</c> in Prometheus text (on the serving port, or on METRICS_PORT only), traces propagated always and exported by
/// OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, and JSON console logs.
/// </summary>
public static class ObservabilityHosting
{
    public const string MetricsPath = "/metrics";

    /// <summary>The standard OpenTelemetry variable; the exporter reads it (and its siblings) itself.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    private static readonly string[] UntracedPaths = ["/healthz", "/readyz", MetricsPath];

    /// <summary>The attributes of HttpClient's and DNS's metrics that name no peer.</summary>
    private static readonly string[] PeerlessTags =
        ["http.request.method", "http.response.status_code", "error.type", "network.protocol.version", "http.connection.state"];

    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        // One JSON object a line is what a cluster's log pipeline parses; a developer reads the plain console.
        if (!builder.Environment.IsDevelopment())
        {
            builder.Logging.AddJsonConsole(json =>
            {
                json.UseUtcTimestamp = true;
                json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }

        // The request log line says what ASP.NET Core's own per-request lines would; HttpClient's
        // own lines would write every fetched URL's path (and MLflow's) at Information.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);

        builder.Services.AddOptions<MetricsOptions>().Bind(builder.Configuration).ValidateOnStart<MetricsOptions, MetricsOptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<FunctionTracing>();
        builder.Services.AddSingleton<StageRecorder>();

        // Tracing is on even without an exporter: the spans are what carries an incoming
        // traceparent on to the image fetch and into the reply event.
        var openTelemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(TelemetryNames.ServiceName))
            .WithMetrics(metrics => metrics
                .AddMeter(TelemetryNames.MeterName, TelemetryNames.FeatureMeterNames)
                .AddMeter(TelemetryNames.RuntimeMeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddView(WithoutPeers)
                // Every scrape sees the counts as they are; the exporter's default would replay one for 300 ms.
                .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0))
            .WithTracing(tracing => tracing
                .AddSource(TelemetryNames.ActivitySourceName)
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !IsUntraced(context.Request.Path))
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]))
        {
            openTelemetry.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>
    /// <c>GET /metrics</c> on the serving port; or, with METRICS_PORT, on that port only, where
    /// every other request is 404 and which the serving port's routes never answer. Call it first:
    /// the port's branch must come before every other middleware.
    /// </summary>
    public static WebApplication MapMetrics(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value.Port is not { } port)
        {
            app.MapPrometheusScrapingEndpoint(MetricsPath);
            return app;
        }

        // By the port the connection came to, never the Host header, which the caller writes.
        app.MapWhen(context => context.Connection.LocalPort == port, metricsPort =>
        {
            metricsPort.UseOpenTelemetryPrometheusScrapingEndpoint(context => context.Request.Path == MetricsPath);
            metricsPort.Run(context =>
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            });
        });
        return app;
    }

    /// <summary>
    /// HttpClient's and DNS's own metrics, without the attributes that name a peer (server.address,
    /// server.port, url.scheme, network.peer.address, dns.question.name): every host a caller
    /// asked the function to fetch would otherwise be listed on /metrics for anyone who can scrape.
    /// </summary>
    private static MetricStreamConfiguration? WithoutPeers(Instrument instrument) =>
        instrument.Meter.Name is "System.Net.Http" or "System.Net.NameResolution"
            ? new MetricStreamConfiguration { TagKeys = PeerlessTags }
            : null;

    private static bool IsUntraced(PathString path) =>
        UntracedPaths.Any(untraced => path.Equals(untraced, StringComparison.OrdinalIgnoreCase));
}
