using System.ComponentModel.DataAnnotations;
using ImageClassifier.Settings;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Hosting;

/// <summary>How the process stops on SIGTERM: a drain while routing catches up, then in-flight requests finish.</summary>
public sealed class ShutdownOptions : IValidatableObject
{
    /// <summary>Below Knative's default termination grace period of 30 s, so the process exits before SIGKILL.</summary>
    public const int DefaultTimeoutSeconds = 25;

    /// <summary>A few of the queue-proxy's probe periods, so routing has caught up before the listener closes.</summary>
    public const int DefaultDrainSeconds = 3;

    [ConfigurationKeyName("SHUTDOWN_TIMEOUT_SECONDS")]
    [SettingRange(1, 3600, ErrorMessage = "SHUTDOWN_TIMEOUT_SECONDS must be between 1 and 3600.")]
    public int TimeoutSeconds { get; set; } = DefaultTimeoutSeconds;

    /// <summary>
    /// How long after SIGTERM the server still accepts connections, answering new requests 503
    /// with Retry-After (which Knative retries elsewhere) instead of refusing the connection.
    /// </summary>
    [ConfigurationKeyName("SHUTDOWN_DRAIN_SECONDS")]
    [SettingRange(0, 3600, ErrorMessage = "SHUTDOWN_DRAIN_SECONDS must be between 0 and 3600.")]
    public int DrainSeconds { get; set; } = DefaultDrainSeconds;

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    public TimeSpan Drain => TimeSpan.FromSeconds(DrainSeconds);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (DrainSeconds >= TimeoutSeconds)
        {
            yield return new ValidationResult(
                "SHUTDOWN_DRAIN_SECONDS must be less than SHUTDOWN_TIMEOUT_SECONDS, so in-flight requests have time to finish.",
                [nameof(DrainSeconds)]);
        }
    }
}

/// <summary>Checks <see cref="ShutdownOptions"/>: generated at compile time from its annotations, so the native publish needs no reflection.</summary>
[OptionsValidator]
internal sealed partial class ShutdownOptionsValidator : IValidateOptions<ShutdownOptions>;
