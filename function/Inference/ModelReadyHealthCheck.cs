using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ImageClassifier.Inference;

/// <summary>Ready once the model is loaded and the warm-ups have run.</summary>
public sealed class ModelReadyHealthCheck(IClassifier classifier, ModelLoader loader) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(classifier.IsReady && loader.IsWarm ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("model loading"));
}
