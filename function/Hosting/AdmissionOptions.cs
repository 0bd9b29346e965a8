using System.ComponentModel.DataAnnotations;
using ImageClassifier.Settings;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Hosting;

/// <summary>How many requests the function takes on at once, how many may wait for a turn, and how many bodies may be arriving meanwhile.</summary>
public sealed class AdmissionOptions
{
    /// <summary>Knative's <c>containerConcurrency</c> in config/service.yaml.</summary>
    public const int DefaultMaxConcurrentRequests = 8;

    /// <summary>Short, so an accepted request under overload waits behind few others (bench/HISTORY.md, "Runtime settings").</summary>
    public const int DefaultQueueLimit = 2;

    /// <summary>
    /// Room for the slots and the queue several times over, so that slow senders do not keep the
    /// slots idle; each costs little while its body arrives (a socket and a 64 KiB buffer) and its
    /// bytes are paid from the memory budget.
    /// </summary>
    public const int DefaultMaxConcurrentBodyReads = 64;

    /// <summary>Requests served at once; keep it equal to Knative's <c>containerConcurrency</c> (config/service.yaml, workload.yaml).</summary>
    [ConfigurationKeyName("MAX_CONCURRENT_REQUESTS")]
    [SettingRange(1, 10_000, ErrorMessage = "MAX_CONCURRENT_REQUESTS must be between 1 and 10000.")]
    public int MaxConcurrentRequests { get; set; } = DefaultMaxConcurrentRequests;

    /// <summary>Requests that may wait for a turn; any beyond them are refused at once with 503 and Retry-After.</summary>
    [ConfigurationKeyName("REQUEST_QUEUE_LIMIT")]
    [SettingRange(0, 10_000, ErrorMessage = "REQUEST_QUEUE_LIMIT must be between 0 and 10000.")]
    public int QueueLimit { get; set; } = DefaultQueueLimit;

    /// <summary>Requests whose body may be arriving at once, apart from the slots above; any beyond them are refused at once with 503 and Retry-After.</summary>
    [ConfigurationKeyName("MAX_CONCURRENT_BODY_READS")]
    [SettingRange(1, 10_000, ErrorMessage = "MAX_CONCURRENT_BODY_READS must be between 1 and 10000.")]
    public int MaxConcurrentBodyReads { get; set; } = DefaultMaxConcurrentBodyReads;
}

/// <summary>Checks <see cref="AdmissionOptions"/>: generated at compile time from its annotations, so the native publish needs no reflection.</summary>
[OptionsValidator]
internal sealed partial class AdmissionOptionsValidator : IValidateOptions<AdmissionOptions>;
