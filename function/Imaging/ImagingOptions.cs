using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Imaging;

/// <summary>The decoder's limits.</summary>
public sealed class ImagingOptions
{
    /// <summary>40 megapixels: a large phone photo.</summary>
    public const int DefaultMaxImagePixels = 40_000_000;

    /// <summary>The largest width × height the loader decodes; a decoded pixel costs 3 to 4 bytes.</summary>
    [ConfigurationKeyName("MAX_IMAGE_PIXELS")]
    [SettingRange(1, int.MaxValue, ErrorMessage = "MAX_IMAGE_PIXELS must be a whole number above 0.")]
    public int MaxImagePixels { get; set; } = DefaultMaxImagePixels;
}

/// <summary>Checks <see cref="ImagingOptions"/>: generated at compile time from its annotations, so the native publish needs no reflection.</summary>
[OptionsValidator]
internal sealed partial class ImagingOptionsValidator : IValidateOptions<ImagingOptions>;
