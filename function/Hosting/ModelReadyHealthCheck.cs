using ImageClassifier.Inference;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ImageClassifier.Hosting;

/// <summary>Ready once the model is loaded and the warm-up has run.</summary>
internal sealed class ModelReadyHealthCheck(IClassifier classifier, StartupWarmUp warmUp) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(classifier.IsReady && warmUp.IsDone ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("model loading"));
}
