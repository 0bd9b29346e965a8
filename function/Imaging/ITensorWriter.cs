namespace ImageClassifier.Imaging;

/// <summary>Pixels → the model's NCHW float tensor, as a <see cref="PreprocessingSpec"/> says.</summary>
public interface ITensorWriter
{
    /// <summary>
    /// Writes one image's tensor into <paramref name="destination"/> (length
    /// <see cref="PreprocessingSpec.TensorLength"/>); the image is one the loader gave.
    /// </summary>
    void Write(DecodedImage image, PreprocessingSpec spec, Span<float> destination);
}
