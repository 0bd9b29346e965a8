using System.ComponentModel.DataAnnotations;
using ImageClassifier.Settings;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Memory;

/// <summary>How much memory the function may spend on the large buffers of requests, and how long a request waits for it.</summary>
public sealed class MemoryOptions
{
    /// <summary>The memory limit of config/service.yaml, for a process the cgroup does not limit.</summary>
    public const long DefaultLimitBytes = 512L * 1024 * 1024;

    /// <summary>Long enough for a few large images ahead to be decoded; short beside Knative's retry of a 503.</summary>
    public const int DefaultWaitSeconds = 5;

    /// <summary>
    /// The container's memory limit when the cgroup sets none (<c>memory.max</c> is <c>max</c>, or
    /// there is no cgroup): the budget is this limit less what the process holds once the model is loaded.
    /// </summary>
    [ConfigurationKeyName("MEMORY_LIMIT_BYTES")]
    [SettingRange(64L * 1024 * 1024, 1L << 40, ErrorMessage = "MEMORY_LIMIT_BYTES must be between 67108864 (64 MiB) and 1099511627776 (1 TiB).")]
    public long LimitBytes { get; set; } = DefaultLimitBytes;

    /// <summary>The budget itself, overriding the one worked out from the limit; unset: worked out.</summary>
    [ConfigurationKeyName("MEMORY_BUDGET_BYTES")]
    [SettingRange(1L * 1024 * 1024, 1L << 40, ErrorMessage = "MEMORY_BUDGET_BYTES must be between 1048576 (1 MiB) and 1099511627776 (1 TiB).")]
    public long? BudgetBytes { get; set; }

    /// <summary>How long a request waits (a body as it arrives, a decode in its admission slot) for memory others hold; past it, 503 with Retry-After.</summary>
    [ConfigurationKeyName("MEMORY_WAIT_SECONDS")]
    [SettingRange(0, 60, ErrorMessage = "MEMORY_WAIT_SECONDS must be between 0 and 60.")]
    public int WaitSeconds { get; set; } = DefaultWaitSeconds;

    public TimeSpan Wait => TimeSpan.FromSeconds(WaitSeconds);
}

/// <summary>Checks <see cref="MemoryOptions"/>: generated at compile time from its annotations, so the native publish needs no reflection.</summary>
[OptionsValidator]
internal sealed partial class MemoryOptionsValidator : IValidateOptions<MemoryOptions>;
