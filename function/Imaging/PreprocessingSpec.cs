namespace ImageClassifier.Imaging;

/// <summary>
/// How an image becomes the model's input: resize so the shorter side is
/// <see cref="ResizeShorterSide"/>, centre-crop <see cref="CropSize"/> square, scale RGB to
/// [0, 1], then subtract <see cref="Mean"/> and divide by <see cref="Std"/> per channel, NCHW.
/// </summary>
public sealed record PreprocessingSpec(int ResizeShorterSide, int CropSize, float[] Mean, float[] Std)
{
    /// <summary>The ImageNet numbers of the ONNX Model Zoo classifiers.</summary>
    public static PreprocessingSpec ImageNet { get; } =
        new(256, 224, [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);

    /// <summary>The size the whole upright image is resized to before the crop.</summary>
    public (int Width, int Height) ResizedSize(int fullWidth, int fullHeight)
    {
        var resized = CentreCrop.For(new SixLabors.ImageSharp.Size(fullWidth, fullHeight), this).Resized;
        return (resized.Width, resized.Height);
    }

    /// <summary>Floats in one image's tensor: 3 × crop × crop.</summary>
    public int TensorLength => 3 * CropSize * CropSize;
}
