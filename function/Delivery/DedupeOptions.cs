using System.ComponentModel.DataAnnotations;

namespace ImageClassifier.Delivery;

/// <summary>How many replies, and for how long, are kept to answer redelivered events (Knative delivers at least once).</summary>
public sealed class DedupeOptions
{
    public const int DefaultCacheSize = 5000;

    public const int DefaultTtlSeconds = 300;

    /// <summary>A reply is about 1 KB, so the default holds about 5 MB.</summary>
    [ConfigurationKeyName("DEDUPE_CACHE_SIZE")]
    [Range(1, 1_000_000, ErrorMessage = "DEDUPE_CACHE_SIZE must be between 1 and 1000000.")]
    public int CacheSize { get; set; } = DefaultCacheSize;

    /// <summary>Longer than Knative's default retry schedule (a few exponential backoffs from 0.2 s).</summary>
    [ConfigurationKeyName("DEDUPE_TTL_SECONDS")]
    [Range(1, 86_400, ErrorMessage = "DEDUPE_TTL_SECONDS must be between 1 and 86400.")]
    public int TtlSeconds { get; set; } = DefaultTtlSeconds;

    public TimeSpan Ttl => TimeSpan.FromSeconds(TtlSeconds);
}
