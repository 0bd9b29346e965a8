using SkiaSharp;

namespace ImageClassifier.Imaging;

/// <summary>
/// An image as the decoder leaves it for the tensor writer: upright (its EXIF orientation
/// applied), 8-bit RGBA, four bytes a pixel, rows <see cref="Stride"/> bytes apart, any
/// transparency already composited onto white, so the fourth byte is to be ignored. It may be
/// smaller than the image as sent (decoded at a reduced scale): the resize geometry is worked out
/// from <see cref="FullWidth"/> × <see cref="FullHeight"/>, and the pixels read from what is here.
/// The pixels are native memory (a Skia bitmap), freed when disposed: a whole decode of a large
/// image is given back to the kernel at once, not left on the GC heap for a later collection,
/// so the memory budget stays true to what the process holds.
/// </summary>
public sealed class DecodedImage : IDisposable
{
    /// <summary>Bytes a pixel: red, green, blue and an ignored fourth.</summary>
    public const int BytesPerPixel = 4;

    private readonly SKBitmap bitmap;

    public DecodedImage(int width, int height, int fullWidth, int fullHeight)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfLessThan(fullWidth, width);
        ArgumentOutOfRangeException.ThrowIfLessThan(fullHeight, height);
        Width = width;
        Height = height;
        FullWidth = fullWidth;
        FullHeight = fullHeight;
        bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        if (bitmap.GetPixels() == IntPtr.Zero || bitmap.RowBytes != Stride)
        {
            bitmap.Dispose();
            throw new InsufficientMemoryException($"No memory for a {width}x{height} image.");
        }
    }

    /// <summary>Pixels across, as decoded.</summary>
    public int Width { get; }

    /// <summary>Pixels down, as decoded.</summary>
    public int Height { get; }

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

    /// <summary>Row <paramref name="y"/>: <see cref="Width"/> pixels of four bytes.</summary>
    public Span<byte> Row(int y) => Pixels.Slice(y * Stride, Stride);

    public void Dispose() => bitmap.Dispose();
}
