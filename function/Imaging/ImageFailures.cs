using ImageClassifier.Failures;
using SkiaSharp;

namespace ImageClassifier.Imaging;

/// <summary>What the header readers' and the decoder's findings mean for the caller, as failures from the catalogue.</summary>
internal static class ImageFailures
{
    public static ClassificationException NotAnImage() =>
        Problems.NotAnImage.Failure($"The content is not an image in a supported format ({UnsupportedFormats.Accepted}).");

    public static ClassificationException UnsupportedFormat(string format) =>
        Problems.UnsupportedImageFormat.Failure($"The image is {format}, a format the function does not decode; send {UnsupportedFormats.Accepted}.");

    public static ClassificationException TooManyPixels(long width, long height, int maxPixels) =>
        Problems.ImageTooManyPixels.Failure($"The image is {width}x{height} pixels; at most {maxPixels} pixels are accepted (MAX_IMAGE_PIXELS).");

    public static ClassificationException NoPixels() => Problems.ImageCorrupt.Failure("The image declares no pixels.");

    public static ClassificationException Corrupt(string detail) => Problems.ImageCorrupt.Failure(detail);

    public static ClassificationException Unsupported(string detail) => Problems.ImageUnsupported.Failure(detail);

    public static ClassificationException Truncated() => Corrupt("The image is damaged or truncated and cannot be decoded.");

    public static ClassificationException TooElongated(int width, int height, int maxAspectRatio) =>
        Problems.ImageTooElongated.Failure($"The image is {width}x{height} pixels; one side may be at most {maxAspectRatio} times the other.");

    /// <summary>What a codec's answer on the image's bytes means for the caller.</summary>
    public static ClassificationException FromCodec(SKCodecResult result) => result switch
    {
        SKCodecResult.Unimplemented or SKCodecResult.InvalidConversion or SKCodecResult.InvalidScale =>
            Unsupported("The image uses a feature the decoder does not support."),
        _ => Truncated(),
    };
}
