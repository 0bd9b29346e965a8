using System.ComponentModel.DataAnnotations;
using ImageClassifier.Settings;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Delivery;

/// <summary>How many replies, how much memory and for how long are kept to answer redelivered events (Knative delivers at least once).</summary>
public sealed class DedupeOptions
{
    /// <summary>A reply of five predictions takes about 1.5 KB of memory with its key.</summary>
    public const int DefaultCacheSize = 5000;

    /// <summary>Bounds what long ids, long URLs and large top-k replies can take, whatever their number.</summary>
    public const long DefaultCacheBytes = 16L * 1024 * 1024;

    /// <summary>Longer than Knative's default retry schedule (a few exponential backoffs from 0.2 s).</summary>
    public const int DefaultTtlSeconds = 300;

    [ConfigurationKeyName("DEDUPE_CACHE_SIZE")]
    [SettingRange(1, 1_000_000, ErrorMessage = "DEDUPE_CACHE_SIZE must be between 1 and 1000000.")]
    public int CacheSize { get; set; } = DefaultCacheSize;

    [ConfigurationKeyName("DEDUPE_CACHE_BYTES")]
    [SettingRange(1024 * 1024, 1L << 32, ErrorMessage = "DEDUPE_CACHE_BYTES must be between 1048576 and 4294967296.")]
    public long CacheBytes { get; set; } = DefaultCacheBytes;

    [ConfigurationKeyName("DEDUPE_TTL_SECONDS")]
    [SettingRange(1, 86_400, ErrorMessage = "DEDUPE_TTL_SECONDS must be between 1 and 86400.")]
    public int TtlSeconds { get; set; } = DefaultTtlSeconds;

    public TimeSpan Ttl => TimeSpan.FromSeconds(TtlSeconds);
}

/// <summary>Checks <see cref="DedupeOptions"/>: generated at compile time from its annotations, so the native publish needs no reflection.</summary>
[OptionsValidator]
internal sealed partial class DedupeOptionsValidator : IValidateOptions<DedupeOptions>;
