using SixLabors.ImageSharp;

namespace ImageClassifier.Imaging;

/// <summary>
/// Bytes → pixels, the only door into the image decoder. ImageSharp 2.x gets no more security
/// fixes, so everything it is given passes through here, with its limits. Throws
/// <see cref="Failures.ClassificationException"/> for anything that is not a usable image.
/// </summary>
public interface IImageLoader
{
    /// <summary>Reads the header: the format, the size, what decoding will cost. Refuses too many pixels. Decodes no pixel.</summary>
    ImageHeader Identify(ReadOnlyMemory<byte> bytes);

    /// <summary>
    /// Decodes an image <see cref="Identify"/> accepted, applies its EXIF orientation and flattens
    /// any transparency onto white: an <c>Image&lt;Rgb24&gt;</c>, or an <c>Image&lt;RgbOverWhite&gt;</c>
    /// for formats that can carry alpha.
    /// </summary>
    Image Load(ImageHeader header);
}
