namespace ImageClassifier.Imaging;

/// <summary>Pixels → the model's float tensor, as a <see cref="PreprocessingSpec"/> says.</summary>
public interface ITensorWriter
{
    /// <summary>
    /// Writes one image's tensor into <paramref name="destination"/> (length
    /// <see cref="PreprocessingSpec.TensorLength"/>), in the spec's layout. The geometry comes
    /// from the image's full size, the pixels from what was decoded.
    /// </summary>
    /// <exception cref="ArgumentException">The spec is invalid, the destination's length is not the tensor's, or the image does not hold what <see cref="Reads"/> says.</exception>
    /// <exception cref="Failures.ClassificationException">The image cannot be brought to the input (<c>image-too-elongated</c> in crop mode).</exception>
    void Write(DecodedImage image, PreprocessingSpec spec, Span<float> destination);

    /// <summary>
    /// The part of an image decoded at <paramref name="scaled"/> size (upright) that
    /// <see cref="Write"/> reads, for an image of <paramref name="full"/> size: the decoder need
    /// decode no more.
    /// </summary>
    /// <exception cref="Failures.ClassificationException">As <see cref="Write"/>.</exception>
    PixelRegion Reads((int Width, int Height) scaled, (int Width, int Height) full, PreprocessingSpec spec);
}
