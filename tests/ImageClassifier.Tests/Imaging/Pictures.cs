using ImageClassifier.Imaging;

namespace ImageClassifier.Tests.Imaging;

/// <summary>Decoded images made in memory for the tensor writer's tests.</summary>
internal static class Pictures
{
    /// <summary>A <paramref name="width"/> × <paramref name="height"/> image, decoded from one of <paramref name="fullWidth"/> × <paramref name="fullHeight"/> (the same when not given).</summary>
    public static DecodedImage Make(int width, int height, Func<int, int, (byte R, byte G, byte B)> colour, int? fullWidth = null, int? fullHeight = null)
    {
        var image = new DecodedImage(width, height, fullWidth ?? width, fullHeight ?? height);
        for (var y = 0; y < height; y++)
        {
            var row = image.Row(y);
            for (var x = 0; x < width; x++)
            {
                var (r, g, b) = colour(x, y);
                row[4 * x] = r;
                row[(4 * x) + 1] = g;
                row[(4 * x) + 2] = b;

                // The fourth byte is to be ignored: a value that would show if it were read.
                row[(4 * x) + 3] = (byte)(x * 31);
            }
        }

        return image;
    }

    public static DecodedImage Solid(int width, int height, (byte R, byte G, byte B) colour) => Make(width, height, (_, _) => colour);

    /// <summary>Each channel random, the same for the same seed.</summary>
    public static DecodedImage Noise(int width, int height, int? fullWidth = null, int? fullHeight = null)
    {
        var random = new Random(7);
        var values = new byte[width * height * 3];
        random.NextBytes(values);
        return Make(width, height, (x, y) =>
        {
            var at = 3 * ((y * width) + x);
            return (values[at], values[at + 1], values[at + 2]);
        }, fullWidth, fullHeight);
    }
}
