using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Memory;

namespace ImageClassifier.Imaging;

/// <summary>The ways an image can be unusable, as the failures the edge answers with 422.</summary>
internal static class ImageFailures
{
    public static ClassificationException NotAnImage(Exception? inner = null) =>
        new(FailureKind.ImageUnusable, "not-an-image",
            "The content is not an image in a supported format (JPEG, PNG, WebP, GIF or BMP).", inner);

    public static ClassificationException TooLarge(long width, long height, int maxPixels) =>
        new(FailureKind.ImageUnusable, "image-too-large",
            $"The image is {width}x{height} pixels; at most {maxPixels} pixels are accepted.");

    public static ClassificationException NoPixels() =>
        new(FailureKind.ImageUnusable, "image-corrupt", "The image declares no pixels.");

    public static ClassificationException TooElongated(int width, int height, int maxAspectRatio) =>
        new(FailureKind.ImageUnusable, "image-too-elongated",
            $"The image is {width}x{height} pixels; one side may be at most {maxAspectRatio} times the other.");

    /// <summary>What an exception the decoder threw on the image's bytes means for the caller.</summary>
    public static ClassificationException FromDecoder(Exception exception) => exception switch
    {
        UnknownImageFormatException => NotAnImage(exception),
        InvalidMemoryOperationException => new(FailureKind.ImageUnusable, "image-too-large",
            "The image needs more memory to decode than its size allows.", exception),
        NotSupportedException => new(FailureKind.ImageUnusable, "image-unsupported",
            "The image uses a feature the decoder does not support, such as WebP animation.", exception),
        _ => new(FailureKind.ImageUnusable, "image-corrupt",
            "The image is damaged or truncated and cannot be decoded.", exception),
    };
}
