using System.Runtime.InteropServices;

namespace ImageClassifier.Imaging;

/// <summary>
/// An EXIF orientation applied to the decoded (already reduced) pixels: each output pixel read
/// from where the orientation stored it. 1 returns the image itself. A region of the image turns
/// into the region of the upright image it shows.
/// </summary>
internal static class Orientation
{
    public static DecodedImage Apply(DecodedImage stored, int orientation)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (orientation == ExifOrientation.Normal)
        {
            return stored;
        }

        using (stored)
        {
            var (w, h) = (stored.ScaledWidth, stored.ScaledHeight);
            var swaps = ExifOrientation.SwapsSides(orientation);
            var (uprightWidth, uprightHeight) = swaps ? (h, w) : (w, h);
            var region = StoredRegion(Inverse(orientation), stored.Region, uprightWidth, uprightHeight);
            var upright = swaps
                ? new DecodedImage(region, uprightWidth, uprightHeight, stored.FullHeight, stored.FullWidth)
                : new DecodedImage(region, uprightWidth, uprightHeight, stored.FullWidth, stored.FullHeight);
            var source = MemoryMarshal.Cast<byte, uint>(stored.Pixels);
            var (left, top, width) = (stored.Region.Left, stored.Region.Top, stored.Width);
            for (var y = 0; y < upright.Height; y++)
            {
                var row = MemoryMarshal.Cast<byte, uint>(upright.Row(y));
                for (var x = 0; x < upright.Width; x++)
                {
                    var (sx, sy) = StoredPixel(orientation, region.Left + x, region.Top + y, w, h);
                    row[x] = source[((sy - top) * width) + sx - left];
                }
            }

            return upright;
        }
    }

    /// <summary>
    /// Where the <paramref name="upright"/> region of an image with this orientation is stored, in
    /// a stored image of <paramref name="storedWidth"/> × <paramref name="storedHeight"/>.
    /// </summary>
    public static PixelRegion StoredRegion(int orientation, PixelRegion upright, int storedWidth, int storedHeight)
    {
        var (x0, y0) = StoredPixel(orientation, upright.Left, upright.Top, storedWidth, storedHeight);
        var (x1, y1) = StoredPixel(orientation, upright.Right - 1, upright.Bottom - 1, storedWidth, storedHeight);
        return new PixelRegion(Math.Min(x0, x1), Math.Min(y0, y1), Math.Abs(x1 - x0) + 1, Math.Abs(y1 - y0) + 1);
    }

    /// <summary>Where the upright pixel (x, y) is stored, per EXIF's eight cases, in a stored image of w × h.</summary>
    private static (int X, int Y) StoredPixel(int orientation, int x, int y, int w, int h) => orientation switch
    {
        2 => (w - 1 - x, y),
        3 => (w - 1 - x, h - 1 - y),
        4 => (x, h - 1 - y),
        5 => (y, x),
        6 => (y, h - 1 - x),
        7 => (w - 1 - y, h - 1 - x),
        8 => (w - 1 - y, x),
        _ => (x, y),
    };

    /// <summary>The orientation that undoes this one: the quarter turns undo each other, the rest themselves.</summary>
    private static int Inverse(int orientation) => orientation switch
    {
        6 => 8,
        8 => 6,
        _ => orientation,
    };
}
