using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ImageClassifier.Inference;

/// <summary>Ready once the model is loaded and warmed.</summary>
public sealed class ModelReadyHealthCheck(IClassifier classifier) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(classifier.IsReady ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("model loading"));
}
