using System.Buffers;
using System.Runtime.InteropServices;

namespace ImageClassifier.Imaging;

/// <summary>
/// An image as the decoder leaves it for the tensor writer: upright (its EXIF orientation
/// applied), 8-bit RGBA, four bytes a pixel, rows <see cref="Stride"/> bytes apart, any
/// transparency already composited onto white, so the fourth byte is to be ignored. It may be
/// smaller than the image as sent (decoded at a reduced scale), and it may hold only the
/// <see cref="Region"/> of that the writer reads: the resize geometry is worked out from
/// <see cref="FullWidth"/> × <see cref="FullHeight"/>, the filter from
/// <see cref="ScaledWidth"/> × <see cref="ScaledHeight"/>, and the pixels read from what is here.
/// The pixels are zeroed before the decoder writes, and given back when disposed. Up to
/// <see cref="PooledMaxBytes"/> (what the reduced-scale decode of a photo takes) they are a
/// pinned array of the shared pool: a fresh block for each request cost its page faults and, when
/// freed, the kernel's unmapping on both cores, a few per cent of a small photo's request (bench/README.md).
/// Larger ones (a whole decode of a large image) are native memory, freed when disposed: given
/// back to the kernel at once, not held for a later request, so the memory budget stays true to
/// what the process holds.
/// </summary>
public sealed class DecodedImage : IDisposable
{
    /// <summary>Bytes a pixel: red, green, blue and an ignored fourth.</summary>
    public const int BytesPerPixel = 4;

    /// <summary>The most bytes an image takes from the shared array pool rather than from native memory.</summary>
    public const int PooledMaxBytes = 1 << 20;

    private readonly int length;
    private readonly byte[]? pooled;
    private MemoryHandle pin;
    private IntPtr address;

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
        length = checked(Height * Stride);
        if (length <= PooledMaxBytes)
        {
            pooled = ArrayPool<byte>.Shared.Rent(length);
            pooled.AsSpan(0, length).Clear();
            pin = pooled.AsMemory().Pin();
            address = Pinned(pin);
        }
        else
        {
            address = Allocate(length);
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
    public unsafe Span<byte> Pixels => new((void*)Address, length);

    /// <summary>Where the pixels start, for a decoder to write into.</summary>
    internal IntPtr Address
    {
        get
        {
            ObjectDisposedException.ThrowIf(address == IntPtr.Zero, this);
            return address;
        }
    }

    /// <summary>Row <paramref name="y"/> of those held: <see cref="Width"/> pixels of four bytes.</summary>
    public Span<byte> Row(int y) => Pixels.Slice(y * Stride, Stride);

    public void Dispose()
    {
        var held = Interlocked.Exchange(ref address, IntPtr.Zero);
        if (held == IntPtr.Zero)
        {
            return;
        }

        if (pooled is null)
        {
            Free(held);
            return;
        }

        pin.Dispose();
        ArrayPool<byte>.Shared.Return(pooled);
    }

    private static unsafe IntPtr Pinned(MemoryHandle pin) => (IntPtr)pin.Pointer;

    private static unsafe IntPtr Allocate(int length) =>
        (IntPtr)NativeMemory.AllocZeroed((nuint)length);

    private static unsafe void Free(IntPtr held) => NativeMemory.Free((void*)held);
}
