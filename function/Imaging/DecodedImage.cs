using SkiaSharp;

namespace ImageClassifier.Imaging;

/// <summary>
/// An image as the decoder leaves it for the tensor writer: upright (its EXIF orientation
/// applied), 8-bit RGBA, four bytes a pixel, rows <see cref="Stride"/> bytes apart, any
/// transparency already composited onto white, so the fourth byte is to be ignored. It may be
/// smaller than the image as sent (decoded at a reduced scale), and it may hold only the
/// <see cref="Region"/> of that the writer reads: the resize geometry is worked out from
/// <see cref="FullWidth"/> × <see cref="FullHeight"/>, the filter from
/// <see cref="ScaledWidth"/> × <see cref="ScaledHeight"/>, and the pixels read from what is here.
/// The pixels are native memory (a Skia bitmap), freed when disposed: a whole decode of a large
/// image is given back to the kernel at once, not left on the GC heap for a later collection,
/// so the memory budget stays true to what the process holds.
/// </summary>
public sealed class DecodedImage : IDisposable
{
    /// <summary>Bytes a pixel: red, green, blue and an ignored fourth.</summary>
    public const int BytesPerPixel = 4;

    private readonly SKBitmap bitmap;

    /// <summary>A whole image of <paramref name="width"/> × <paramref name="height"/>, decoded from one of <paramref name="fullWidth"/> × <paramref name="fullHeight"/>.</summary>
    public DecodedImage(int width, int height, int fullWidth, int fullHeight)
        : this(PixelRegion.Whole(width, height), width, height, fullWidth, fullHeight)
    {
    }

    /// <summary>The <paramref name="region"/> of an image decoded at <paramref name="scaledWidth"/> × <paramref name="scaledHeight"/>.</summary>
    public DecodedImage(PixelRegion region, int scaledWidth, int scaledHeight, int fullWidth, int fullHeight)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(region.Width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(region.Height);
        ArgumentOutOfRangeException.ThrowIfLessThan(fullWidth, scaledWidth);
        ArgumentOutOfRangeException.ThrowIfLessThan(fullHeight, scaledHeight);
        if (!PixelRegion.Whole(scaledWidth, scaledHeight).Contains(region))
        {
            throw new ArgumentOutOfRangeException(nameof(region), region, $"The region lies outside the {scaledWidth}x{scaledHeight} image.");
        }

        Region = region;
        ScaledWidth = scaledWidth;
        ScaledHeight = scaledHeight;
        FullWidth = fullWidth;
        FullHeight = fullHeight;
        bitmap = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        if (bitmap.GetPixels() == IntPtr.Zero || bitmap.RowBytes != Stride)
        {
            bitmap.Dispose();
            throw new InsufficientMemoryException($"No memory for a {Width}x{Height} image.");
        }
    }

    /// <summary>Where the pixels held lie in the image as decoded.</summary>
    public PixelRegion Region { get; }

    /// <summary>Pixels across held.</summary>
    public int Width => Region.Width;

    /// <summary>Pixels down held.</summary>
    public int Height => Region.Height;

    /// <summary>Pixels across of the whole image as decoded, upright.</summary>
    public int ScaledWidth { get; }

    /// <summary>Pixels down of the whole image as decoded, upright.</summary>
    public int ScaledHeight { get; }

    /// <summary>Pixels across of the whole image, upright, before any reduced-scale decode.</summary>
    public int FullWidth { get; }

    /// <summary>Pixels down of the whole image, upright, before any reduced-scale decode.</summary>
    public int FullHeight { get; }

    /// <summary>Bytes from one row to the next.</summary>
    public int Stride => Width * BytesPerPixel;

    /// <summary>All the rows, top to bottom.</summary>
    public Span<byte> Pixels => bitmap.GetPixelSpan();

    /// <summary>Where the pixels start, for a decoder to write into.</summary>
    internal IntPtr Address => bitmap.GetPixels();

    /// <summary>Row <paramref name="y"/> of those held: <see cref="Width"/> pixels of four bytes.</summary>
    public Span<byte> Row(int y) => Pixels.Slice(y * Stride, Stride);

    public void Dispose() => bitmap.Dispose();
}
