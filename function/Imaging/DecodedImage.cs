using System.Buffers;

namespace ImageClassifier.Imaging;

/// <summary>
/// An image as the decoder leaves it for the tensor writer: upright (its EXIF orientation
/// applied), 8-bit RGBA, four bytes a pixel, rows <see cref="Stride"/> bytes apart, any
/// transparency already composited onto white, so the fourth byte is to be ignored. It may be
/// smaller than the image as sent (decoded at a reduced scale): the resize geometry is worked out
/// from <see cref="FullWidth"/> × <see cref="FullHeight"/>, and the pixels read from what is here.
/// Pixels of a reduced decode are rented from the shared pool (dispose to give them back); a
/// whole decode's larger ones are allocated, so the pool keeps nothing the memory budget does not see.
/// </summary>
public sealed class DecodedImage : IDisposable
{
    /// <summary>Bytes a pixel: red, green, blue and an ignored fourth.</summary>
    public const int BytesPerPixel = 4;

    /// <summary>The largest image rented from the shared pool.</summary>
    private const int MaxPooledBytes = 1024 * 1024;

    private readonly bool pooled;

    private byte[]? rented;

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
        var length = checked(Stride * height);
        pooled = length <= MaxPooledBytes;
        rented = pooled ? ArrayPool<byte>.Shared.Rent(length) : GC.AllocateUninitializedArray<byte>(length);
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

    /// <summary>The rented array the pixels start at, for a decoder to write into.</summary>
    internal byte[] Array => rented ?? throw new ObjectDisposedException(nameof(DecodedImage));

    /// <summary>All the rows, top to bottom.</summary>
    public Span<byte> Pixels => (rented ?? throw new ObjectDisposedException(nameof(DecodedImage))).AsSpan(0, Stride * Height);

    /// <summary>Row <paramref name="y"/>: <see cref="Width"/> pixels of four bytes.</summary>
    public Span<byte> Row(int y) => Pixels.Slice(y * Stride, Stride);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref rented, null) is { } buffer && pooled)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
