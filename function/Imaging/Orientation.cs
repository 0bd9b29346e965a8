using System.Runtime.InteropServices;

namespace ImageClassifier.Imaging;

/// <summary>
/// An EXIF orientation applied to the decoded (already reduced) pixels: each output pixel read
/// from where the orientation stored it. 1 returns the image itself.
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
            var swaps = ExifOrientation.SwapsSides(orientation);
            var upright = swaps
                ? new DecodedImage(stored.Height, stored.Width, stored.FullHeight, stored.FullWidth)
                : new DecodedImage(stored.Width, stored.Height, stored.FullWidth, stored.FullHeight);
            var source = MemoryMarshal.Cast<byte, uint>(stored.Pixels);
            var (w, h) = (stored.Width, stored.Height);
            for (var y = 0; y < upright.Height; y++)
            {
                var row = MemoryMarshal.Cast<byte, uint>(upright.Row(y));
                for (var x = 0; x < upright.Width; x++)
                {
                    // Where the upright pixel (x, y) is stored, per EXIF's eight cases.
                    var (sx, sy) = orientation switch
                    {
                        2 => (w - 1 - x, y),
                        3 => (w - 1 - x, h - 1 - y),
                        4 => (x, h - 1 - y),
                        5 => (y, x),
                        6 => (y, h - 1 - x),
                        7 => (w - 1 - y, h - 1 - x),
                        _ => (w - 1 - y, x),
                    };
                    row[x] = source[(sy * w) + sx];
                }
            }

            return upright;
        }
    }
}
