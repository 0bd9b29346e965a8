namespace ImageClassifier.Tests.Observability;

/// <summary>
/// Tests that compare /metrics before and after run alone: the OpenTelemetry SDK listens to
/// meters by name across the process, so another in-process host starting or stopping at the
/// same time could move the counts being compared.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialMetricsTests
{
    public const string Name = "metrics";
}
