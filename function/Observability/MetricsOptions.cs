using System.ComponentModel.DataAnnotations;
using ImageClassifier.Settings;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Observability;

/// <summary>Where <c>GET /metrics</c> is served: on the serving port, or on a port of its own for an in-cluster scrape.</summary>
public sealed class MetricsOptions : IValidatableObject
{
    /// <summary>
    /// The ports Knative's queue-proxy takes in the same pod: 8012 (requests), 8022 (admin),
    /// 9090 (the autoscaler's metrics) and 9091 (the user's request metrics).
    /// </summary>
    public static readonly IReadOnlyList<int> QueueProxyPorts = [8012, 8022, 9090, 9091];

    /// <summary>
    /// Unset: <c>/metrics</c> on the serving port, with everything else. Set: <c>/metrics</c> on
    /// this port only, where nothing else is answered, for Prometheus to scrape by pod annotation
    /// inside the cluster, and not on the serving port, which the Service exposes.
    /// </summary>
    [ConfigurationKeyName("METRICS_PORT")]
    [SettingRange(1, 65535, ErrorMessage = "METRICS_PORT must be between 1 and 65535.")]
    public int? Port { get; set; }

    /// <summary>The port requests are served on (<c>PORT</c>, which hosting reads); not bound from the environment.</summary>
    internal int ServingPort { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Port is not { } port)
        {
            yield break;
        }

        if (QueueProxyPorts.Contains(port))
        {
            yield return new ValidationResult(
                $"METRICS_PORT must not be {port}: Knative's queue-proxy uses {string.Join(", ", QueueProxyPorts)} in the same pod.",
                [nameof(Port)]);
        }

        if (port == ServingPort)
        {
            yield return new ValidationResult(
                $"METRICS_PORT must not be the serving port (PORT, {ServingPort}); leave it unset to serve /metrics there.",
                [nameof(Port)]);
        }
    }
}

/// <summary>Checks <see cref="MetricsOptions"/>: generated at compile time from its annotations, so the native publish needs no reflection.</summary>
[OptionsValidator]
internal sealed partial class MetricsOptionsValidator : IValidateOptions<MetricsOptions>;
