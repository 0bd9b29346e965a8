using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ImageClassifier.Imaging;

/// <summary>
/// Bytes → pixels, the only door into the image decoder. ImageSharp 2.x gets no more security
/// fixes, so everything it is given passes through here, with its limits.
/// </summary>
public interface IImageLoader
{
    /// <summary>
    /// Identifies and decodes an image, applies its EXIF orientation and flattens any alpha.
    /// Throws <see cref="Failures.ClassificationException"/> for
    /// anything that is not a usable image.
    /// </summary>
    Image<Rgb24> Load(ReadOnlyMemory<byte> bytes);
}
