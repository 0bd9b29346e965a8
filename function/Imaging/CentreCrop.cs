using SixLabors.ImageSharp;

namespace ImageClassifier.Imaging;

/// <summary>
/// Where the crop window lies: the size the image is resized to and the window's top-left corner
/// in it. The maths is torchvision's <c>Resize(256)</c> + <c>CenterCrop(224)</c>, the reference
/// the zoo's models were evaluated with: the shorter side becomes exactly
/// <see cref="PreprocessingSpec.ResizeShorterSide"/>, the longer one
/// <c>floor(longer × shorter' / shorter)</c>, and the window's offset on each axis is
/// <c>(resized − crop) / 2</c> rounded half to even. An image that is already crop × crop is
/// taken as it is.
/// </summary>
internal readonly record struct CentreCrop(Size Resized, Point Offset)
{
    /// <summary>
    /// A longer side more than this many times the shorter one is refused: resizing it would cost
    /// memory in proportion to its length, and a classifier sees nothing in such a sliver anyway.
    /// </summary>
    public const int MaxAspectRatio = 100;

    public static CentreCrop For(Size image, PreprocessingSpec spec)
    {
        var crop = spec.CropSize;
        if (image.Width == crop && image.Height == crop)
        {
            return new CentreCrop(image, Point.Empty);
        }

        var shorter = Math.Min(image.Width, image.Height);
        var longer = Math.Max(image.Width, image.Height);
        if (longer > (long)shorter * MaxAspectRatio)
        {
            throw ImageFailures.TooElongated(image.Width, image.Height, MaxAspectRatio);
        }

        var side = spec.ResizeShorterSide;
        var resizedLonger = (int)((long)longer * side / shorter);
        var resized = image.Width <= image.Height ? new Size(side, resizedLonger) : new Size(resizedLonger, side);
        return new CentreCrop(resized, new Point(Centre(resized.Width, crop), Centre(resized.Height, crop)));
    }

    private static int Centre(int length, int crop) => (int)Math.Round((length - crop) / 2.0, MidpointRounding.ToEven);
}
