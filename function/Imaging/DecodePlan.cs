namespace ImageClassifier.Imaging;

/// <summary>
/// How an image is decoded for a model that needs it at <c>target</c> size: the smallest size the
/// format's decoder can shrink to that still gives the resize <see cref="Oversampling"/> times
/// that many pixels, then, for a decoder that hands over rows, a whole-number box shrink as they
/// arrive, as far as the same factor allows. Its memory follows
/// from the header exactly: the decoder's own working buffers, its rows, the shrunk image, and a
/// second copy of that when the orientation turns it.
/// </summary>
/// <param name="DecodeWidth">Pixels across the decoder writes, in stored orientation.</param>
/// <param name="DecodeHeight">Pixels down the decoder writes.</param>
/// <param name="Shrink">Source rows and columns averaged into one as rows arrive (1: none).</param>
/// <param name="DecodeBytes">The most memory the decode takes.</param>
public sealed record DecodePlan(int DecodeWidth, int DecodeHeight, int Shrink, long DecodeBytes)
{
    /// <summary>Allocations of the decoder and its codec objects that do not grow with the image.</summary>
    public const long FixedBytes = 1024 * 1024;

    /// <summary>
    /// How many times the resized size the decoder leaves on each axis: the resize then still
    /// averages two or more pixels into one, as it does from a full decode. Decoding at just the
    /// resized size changed the top-1 of a sample photo (rocket.jpg: missile, not space shuttle);
    /// libvips' thumbnail leaves the same factor after its shrink-on-load.
    /// </summary>
    public const int Oversampling = 2;

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
        targetWidth = (int)Math.Clamp((long)targetWidth * Oversampling, 1, facts.Width);
        targetHeight = (int)Math.Clamp((long)targetHeight * Oversampling, 1, facts.Height);

        var (decodeWidth, decodeHeight) = facts.Scaling switch
        {
            DecodeScaling.Eighths => Eighths(facts.Width, facts.Height, targetWidth, targetHeight),
            DecodeScaling.Any => (targetWidth, targetHeight),
            _ => (facts.Width, facts.Height),
        };
        var shrink = facts.Scanlines ? Math.Max(1, Math.Min(decodeWidth / targetWidth, decodeHeight / targetHeight)) : 1;

        long output = (long)Ceiling(decodeWidth, shrink) * Ceiling(decodeHeight, shrink) * DecodedImage.BytesPerPixel;
        var turned = facts.Orientation == ExifOrientation.Normal ? 0 : output;

        // Rows: the decoder's row, its colour conversion, and the shrink's sums (4 bytes a channel).
        var rows = facts.Scanlines ? 3L * decodeWidth * DecodedImage.BytesPerPixel : 0;

        // A decoder without rows writes the whole decoded image at once, which is then the output itself.
        return new DecodePlan(decodeWidth, decodeHeight, shrink, facts.WorkingBytes + rows + output + turned + FixedBytes);
    }

    /// <summary>libjpeg's scaled size, ceil(side × n / 8), for the smallest n of 1 … 8 that covers the target on both axes.</summary>
    private static (int Width, int Height) Eighths(int width, int height, int targetWidth, int targetHeight)
    {
        for (var n = 1; n < 8; n++)
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
