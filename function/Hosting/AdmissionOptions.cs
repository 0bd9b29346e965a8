using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Hosting;

/// <summary>How many requests the function takes on at once, and how many may wait for a turn.</summary>
public sealed class AdmissionOptions
{
    /// <summary>Knative's <c>containerConcurrency</c> in config/service.yaml.</summary>
    public const int DefaultMaxConcurrentRequests = 8;

    /// <summary>Short, so an accepted request under overload waits behind few others (bench/README.md).</summary>
    public const int DefaultQueueLimit = 2;

    /// <summary>Requests served at once; keep it equal to Knative's <c>containerConcurrency</c> (config/service.yaml, workload.yaml).</summary>
    [ConfigurationKeyName("MAX_CONCURRENT_REQUESTS")]
    [SettingRange(1, 10_000, ErrorMessage = "MAX_CONCURRENT_REQUESTS must be between 1 and 10000.")]
    public int MaxConcurrentRequests { get; set; } = DefaultMaxConcurrentRequests;

    /// <summary>Requests that may wait for a turn; any beyond them are refused at once with 503 and Retry-After.</summary>
    [ConfigurationKeyName("REQUEST_QUEUE_LIMIT")]
    [SettingRange(0, 10_000, ErrorMessage = "REQUEST_QUEUE_LIMIT must be between 0 and 10000.")]
    public int QueueLimit { get; set; } = DefaultQueueLimit;
}

/// <summary>Checks <see cref="AdmissionOptions"/>: generated at compile time from its annotations, so the native publish needs no reflection.</summary>
[OptionsValidator]
internal sealed partial class AdmissionOptionsValidator : IValidateOptions<AdmissionOptions>;
