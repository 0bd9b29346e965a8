using System.ComponentModel.DataAnnotations;
using ImageClassifier.Settings;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Delivery;

/// <summary>How large a CloudEvents batch is accepted and how many of its events run at once.</summary>
public sealed class BatchOptions
{
    public const int DefaultMaxEvents = 32;

    public const int DefaultConcurrency = 4;

    [ConfigurationKeyName("MAX_BATCH_EVENTS")]
    [SettingRange(1, 1000, ErrorMessage = "MAX_BATCH_EVENTS must be between 1 and 1000.")]
    public int MaxEvents { get; set; } = DefaultMaxEvents;

    [ConfigurationKeyName("BATCH_CONCURRENCY")]
    [SettingRange(1, 64, ErrorMessage = "BATCH_CONCURRENCY must be between 1 and 64.")]
    public int Concurrency { get; set; } = DefaultConcurrency;
}

/// <summary>Checks <see cref="BatchOptions"/>: generated at compile time from its annotations, so the native publish needs no reflection.</summary>
[OptionsValidator]
internal sealed partial class BatchOptionsValidator : IValidateOptions<BatchOptions>;
