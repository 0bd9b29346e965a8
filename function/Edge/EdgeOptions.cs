using System.ComponentModel.DataAnnotations;

namespace ImageClassifier.Edge;

/// <summary>How large a JSON request body the edge reads (images are limited by FETCH_MAX_BYTES, the fetcher's setting).</summary>
public sealed class EdgeOptions
{
    public const int DefaultMaxRequestBytes = 64 * 1024;

    /// <summary>Largest JSON body: plain JSON requests and binary-mode events with JSON data.</summary>
    [ConfigurationKeyName("MAX_REQUEST_BYTES")]
    [Range(1024, 16 * 1024 * 1024, ErrorMessage = "MAX_REQUEST_BYTES must be between 1024 and 16777216.")]
    public int MaxRequestBytes { get; set; } = DefaultMaxRequestBytes;
}
