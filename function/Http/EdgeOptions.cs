using System.ComponentModel.DataAnnotations;

namespace ImageClassifier.Http;

/// <summary>How large a request body the edge reads, by form.</summary>
public sealed class EdgeOptions
{
    public const int DefaultMaxRequestBytes = 64 * 1024;

    public const int DefaultFetchMaxBytes = 20 * 1024 * 1024;

    /// <summary>Largest JSON body: plain JSON requests and binary-mode events with JSON data.</summary>
    [ConfigurationKeyName("MAX_REQUEST_BYTES")]
    [Range(1024, 16 * 1024 * 1024, ErrorMessage = "MAX_REQUEST_BYTES must be between 1024 and 16777216.")]
    public int MaxRequestBytes { get; set; } = DefaultMaxRequestBytes;

    /// <summary>Largest image, whether downloaded or sent in the request (the fetcher reads the same variable).</summary>
    [ConfigurationKeyName("FETCH_MAX_BYTES")]
    [Range(1, 1024 * 1024 * 1024, ErrorMessage = "FETCH_MAX_BYTES must be between 1 and 1073741824.")]
    public int FetchMaxBytes { get; set; } = DefaultFetchMaxBytes;

    /// <summary>
    /// Largest structured-mode event: it may carry the image as base64 in <c>data_base64</c>,
    /// which is 4/3 of the image, plus an envelope of attributes.
    /// </summary>
    public int MaxStructuredEventBytes => (int)Math.Min(int.MaxValue, (4L * ((FetchMaxBytes + 2L) / 3)) + MaxRequestBytes);

    /// <summary>The largest body of any form: the server's own hard limit.</summary>
    public int MaxBodyBytes => Math.Max(MaxStructuredEventBytes, FetchMaxBytes);
}
