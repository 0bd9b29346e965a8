using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ImageClassifier.Imaging;

/// <summary>
/// The built-in image the function classifies before it serves a model: a smooth gradient, real
/// content for every stage of the JPEG decoder, made in memory so nothing is read from disk.
/// </summary>
public static class WarmUpImage
{
    private const int Width = 320;
    private const int Height = 240;

    public const string ContentType = "image/jpeg";

    public static byte[] Jpeg()
    {
        using var image = new Image<Rgb24>(Width, Height);
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                var (r, g, b) = Colour(x, y);
                image[x, y] = new Rgb24(r, g, b);
            }
        }

        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream);
        return stream.ToArray();
    }

    /// <summary>The gradient itself, for checking a model's output without decoding (the caller disposes it).</summary>
    public static DecodedImage Pixels()
    {
        var image = new DecodedImage(Width, Height, Width, Height);
        for (var y = 0; y < Height; y++)
        {
            var row = image.Row(y);
            for (var x = 0; x < Width; x++)
            {
                var (r, g, b) = Colour(x, y);
                var pixel = row.Slice(x * DecodedImage.BytesPerPixel, DecodedImage.BytesPerPixel);
                (pixel[0], pixel[1], pixel[2], pixel[3]) = (r, g, b, 255);
            }
        }

        return image;
    }

    private static (byte R, byte G, byte B) Colour(int x, int y) => ((byte)(x * 255 / Width), (byte)(y * 255 / Height), 128);
}
