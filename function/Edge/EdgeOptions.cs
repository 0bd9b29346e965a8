using System.ComponentModel.DataAnnotations;
using ImageClassifier.Settings;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Edge;

/// <summary>How large a JSON request body the edge reads, and how long any body may take (images are limited by FETCH_MAX_BYTES, the image's own setting in Imaging).</summary>
public sealed class EdgeOptions
{
    public const int DefaultMaxRequestBytes = 64 * 1024;

    /// <summary>Ids, sources and types are short names; 2 KiB is room for any honest one.</summary>
    public const int DefaultMaxAttributeBytes = 2048;

    /// <summary>The queue-proxy sits in the same pod: a body slower than this is a stuck or hostile sender holding a slot of the pod's containerConcurrency.</summary>
    public const int DefaultBodyTimeoutSeconds = 10;

    /// <summary>Largest JSON body: plain JSON requests and binary-mode events with JSON data.</summary>
    [ConfigurationKeyName("MAX_REQUEST_BYTES")]
    [SettingRange(1024, 16 * 1024 * 1024, ErrorMessage = "MAX_REQUEST_BYTES must be between 1024 and 16777216.")]
    public int MaxRequestBytes { get; set; } = DefaultMaxRequestBytes;

    /// <summary>How long a request's whole body may take to arrive; past it, 408 and its place among the bodies arriving is free again.</summary>
    [ConfigurationKeyName("REQUEST_BODY_TIMEOUT_SECONDS")]
    [SettingRange(1, 300, ErrorMessage = "REQUEST_BODY_TIMEOUT_SECONDS must be between 1 and 300.")]
    public int BodyTimeoutSeconds { get; set; } = DefaultBodyTimeoutSeconds;

    public TimeSpan BodyTimeout => TimeSpan.FromSeconds(BodyTimeoutSeconds);

    /// <summary>The longest value a CloudEvent attribute or extension may have, in UTF-8 bytes.</summary>
    [ConfigurationKeyName("MAX_ATTRIBUTE_BYTES")]
    [SettingRange(256, 65536, ErrorMessage = "MAX_ATTRIBUTE_BYTES must be between 256 and 65536.")]
    public int MaxAttributeBytes { get; set; } = DefaultMaxAttributeBytes;
}

/// <summary>Checks <see cref="EdgeOptions"/>: generated at compile time from its annotations, so the native publish needs no reflection.</summary>
[OptionsValidator]
internal sealed partial class EdgeOptionsValidator : IValidateOptions<EdgeOptions>;
