using ImageClassifier.Settings;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Imaging;

/// <summary>The limits of an image: its bytes, however it comes, and what the decoder may spend on it.</summary>
public sealed class ImagingOptions
{
    /// <summary>The largest image the function takes, downloaded or sent: 20 MiB, a large camera photo.</summary>
    public const int DefaultMaxImageBytes = 20 * 1024 * 1024;

    /// <summary>40 megapixels: a large phone photo.</summary>
    public const int DefaultMaxImagePixels = 40_000_000;

    /// <summary>
    /// Seconds one decode may run on its worker: over three times the slowest decode measured at the
    /// caps (1.45 s of CPU, a 40-megapixel progressive JPEG; docs/security.md, "Decoding"), so a throttled pod
    /// still finishes real images, and short enough that a crafted file cannot hold a core for long.
    /// </summary>
    public const double DefaultDecodeTimeoutSeconds = 5;

    /// <summary>
    /// The largest image in bytes, however it comes: downloaded (Fetching), a request body or a
    /// binary event's data (Edge), an inference protocol input (InferenceProtocol). Its name is the
    /// one users set when it only capped downloads, kept so their settings hold.
    /// </summary>
    [ConfigurationKeyName("FETCH_MAX_BYTES")]
    [SettingRange(1, 1 << 30, ErrorMessage = "FETCH_MAX_BYTES must be between 1 and 1073741824 (1 GiB).")]
    public int MaxImageBytes { get; set; } = DefaultMaxImageBytes;

    /// <summary>The largest width × height the loader decodes, as stored (before any reduced-size decode).</summary>
    [ConfigurationKeyName("MAX_IMAGE_PIXELS")]
    [SettingRange(1, int.MaxValue, ErrorMessage = "MAX_IMAGE_PIXELS must be a whole number above 0.")]
    public int MaxImagePixels { get; set; } = DefaultMaxImagePixels;

    /// <summary>How long a decode may run once a CPU work thread has started it; past it, 422 <c>image-decode-timeout</c>.</summary>
    [ConfigurationKeyName("DECODE_TIMEOUT_SECONDS")]
    [SettingRange(0.05, 60, ErrorMessage = "DECODE_TIMEOUT_SECONDS must be between 0.05 and 60.")]
    public double DecodeTimeoutSeconds { get; set; } = DefaultDecodeTimeoutSeconds;
}

/// <summary>Checks <see cref="ImagingOptions"/>: generated at compile time from its annotations, so the native publish needs no reflection.</summary>
[OptionsValidator]
internal sealed partial class ImagingOptionsValidator : IValidateOptions<ImagingOptions>;
