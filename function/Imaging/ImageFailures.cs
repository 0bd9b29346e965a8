using ImageClassifier.Failures;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Memory;

namespace ImageClassifier.Imaging;

/// <summary>What the decoder's findings mean for the caller, as failures from the catalogue.</summary>
internal static class ImageFailures
{
    public static ClassificationException NotAnImage(Exception? inner = null) =>
        Problems.NotAnImage.Failure($"The content is not an image in a supported format ({UnsupportedFormats.Accepted}).", inner);

    public static ClassificationException UnsupportedFormat(string format) =>
        Problems.UnsupportedImageFormat.Failure($"The image is {format}, a format the function does not decode; send {UnsupportedFormats.Accepted}.");

    public static ClassificationException TooManyPixels(long width, long height, int maxPixels) =>
        Problems.ImageTooManyPixels.Failure($"The image is {width}x{height} pixels; at most {maxPixels} pixels are accepted (MAX_IMAGE_PIXELS).");

    public static ClassificationException NoPixels() => Problems.ImageCorrupt.Failure("The image declares no pixels.");

    public static ClassificationException TooElongated(int width, int height, int maxAspectRatio) =>
        Problems.ImageTooElongated.Failure($"The image is {width}x{height} pixels; one side may be at most {maxAspectRatio} times the other.");

    /// <summary>What an exception the decoder threw on the image's bytes means for the caller.</summary>
    public static ClassificationException FromDecoder(Exception exception) => exception switch
    {
        UnknownImageFormatException => NotAnImage(exception),
        InvalidMemoryOperationException => Problems.ImageTooManyPixels.Failure(
            "The image needs more memory to decode than its size allows.", exception),
        NotSupportedException => Problems.ImageUnsupported.Failure(
            "The image uses a feature the decoder does not support, such as WebP animation.", exception),
        _ => Problems.ImageCorrupt.Failure("The image is damaged or truncated and cannot be decoded.", exception),
    };
}
