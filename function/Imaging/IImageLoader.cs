namespace ImageClassifier.Imaging;

/// <summary>
/// Bytes → pixels, the only door into the image decoder: everything it is given passes through
/// here, with its limits. Throws <see cref="Failures.ClassificationException"/> for anything that
/// is not a usable image.
/// </summary>
public interface IImageLoader
{
    /// <summary>
    /// Reads the header and plans the decode for a model that resizes the upright image to
    /// <paramref name="resizedSize"/>(width, height): the format, the size, the scale it is decoded
    /// at, what that costs. Refuses too many pixels. Decodes no pixel.
    /// </summary>
    ImageHeader Identify(ReadOnlyMemory<byte> bytes, Func<int, int, (int Width, int Height)> resizedSize);

    /// <summary>
    /// Decodes an image <see cref="Identify"/> accepted, as planned: upright, flattened onto white,
    /// at least as large as the resize needs, within the deadline. Of the upright image at
    /// <see cref="ImageHeader.Scaled"/> size, it holds at least the <paramref name="needed"/>
    /// region, and the whole image where the decoder gains nothing by leaving the rest out.
    /// </summary>
    DecodedImage Load(ImageHeader header, PixelRegion needed, DecodeDeadline deadline);
}
