using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ImageClassifier.Hosting;

/// <summary>Not ready once SIGTERM arrived, so Knative stops routing before the process exits.</summary>
public sealed class ShutdownHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
            ? HealthCheckResult.Unhealthy("shutting down")
            : HealthCheckResult.Healthy());
}
