namespace ImageClassifier.Imaging;

/// <summary>
/// How an image is decoded for a model that needs it at <c>target</c> size: the smallest size the
/// format's decoder can shrink to that still gives the resize at least that many pixels, then, for
/// a decoder that hands over rows, a whole-number box shrink as they arrive. Its memory follows
/// from the header exactly: the decoder's own working buffers, its rows, the shrunk image, and a
/// second copy of that when the orientation turns it.
/// </summary>
/// <param name="DecodeWidth">Pixels across the decoder writes, in stored orientation.</param>
/// <param name="DecodeHeight">Pixels down the decoder writes.</param>
/// <param name="Shrink">Source rows and columns averaged into one as rows arrive (1: none).</param>
/// <param name="DecodeBytes">The most memory the decode takes.</param>
public sealed record DecodePlan(int DecodeWidth, int DecodeHeight, int Shrink, long DecodeBytes)
{
    /// <summary>Byte ranges of the image the decoder is not shown, beside its metadata: the scans this scale does without.</summary>
    public IReadOnlyList<Range> SkippedScans { get; init; } = [];

    /// <summary>Allocations of the decoder and its codec objects that do not grow with the image.</summary>
    public const long FixedBytes = 1024 * 1024;

    /// <summary>Pixels across after the shrink.</summary>
    public int Width => Ceiling(DecodeWidth, Shrink);

    /// <summary>Pixels down after the shrink.</summary>
    public int Height => Ceiling(DecodeHeight, Shrink);

    public static DecodePlan For(ImageFacts facts, (int Width, int Height) uprightTarget)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var (targetWidth, targetHeight) = ExifOrientation.SwapsSides(facts.Orientation)
            ? (uprightTarget.Height, uprightTarget.Width)
            : uprightTarget;
        targetWidth = Math.Clamp(targetWidth, 1, facts.Width);
        targetHeight = Math.Clamp(targetHeight, 1, facts.Height);

        var (decodeWidth, decodeHeight) = facts.Scaling switch
        {
            DecodeScaling.Eighths => Eighths(facts.Width, facts.Height, targetWidth, targetHeight),
            DecodeScaling.Any => (targetWidth, targetHeight),
            _ => (facts.Width, facts.Height),
        };
        // Up to 8x8 every scale gives the same size, and libjpeg may not pick 1/8 for it.
        var atAnEighth = facts.Scaling == DecodeScaling.Eighths && Math.Max(facts.Width, facts.Height) > 8
            && (decodeWidth, decodeHeight) == (Ceiling(facts.Width, 8), Ceiling(facts.Height, 8));
        var shrink = facts.Scanlines ? Math.Max(1, Math.Min(decodeWidth / targetWidth, decodeHeight / targetHeight)) : 1;

        long output = (long)Ceiling(decodeWidth, shrink) * Ceiling(decodeHeight, shrink) * DecodedImage.BytesPerPixel;
        var turned = facts.Orientation == ExifOrientation.Normal ? 0 : output;

        // Rows: the decoder's row, its colour conversion, and the shrink's sums (4 bytes a channel).
        var rows = facts.Scanlines ? 3L * decodeWidth * DecodedImage.BytesPerPixel : 0;

        // A decoder without rows writes the whole decoded image at once, which is then the output itself.
        return new DecodePlan(decodeWidth, decodeHeight, shrink, facts.WorkingBytes + rows + output + turned + FixedBytes)
        {
            SkippedScans = atAnEighth ? facts.UnneededAtAnEighth : [],
        };
    }

    /// <summary>
    /// libjpeg's scaled size, ceil(side × n / 8), for the smallest n of 1, 2 and 4 that covers the
    /// target on both axes, else the whole image. Only those: at 1/8 the decoder averages each 8x8
    /// block, at 2/8 and 4/8 each 4x4 and 2x2 quarter, a true area shrink; the scaled IDCTs of 3/8,
    /// 5/8, 6/8 and 7/8 are not, and one (5/8) changed a sample photo's top-1 (rocket.jpg: missile
    /// for space shuttle). sharp and libvips shrink on load by the same powers of two.
    /// </summary>
    private static (int Width, int Height) Eighths(int width, int height, int targetWidth, int targetHeight)
    {
        for (var n = 1; n < 8; n *= 2)
        {
            var (scaledWidth, scaledHeight) = (Ceiling(width * (long)n, 8), Ceiling(height * (long)n, 8));
            if (scaledWidth >= targetWidth && scaledHeight >= targetHeight)
            {
                return (scaledWidth, scaledHeight);
            }
        }

        return (width, height);
    }

    private static int Ceiling(long value, int divisor) => (int)((value + divisor - 1) / divisor);
}
