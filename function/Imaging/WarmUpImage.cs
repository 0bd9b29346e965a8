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
        using var image = Pixels();
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream);
        return stream.ToArray();
    }

    /// <summary>The gradient itself, for checking a model's output without decoding (the caller disposes it).</summary>
    public static Image<Rgb24> Pixels()
    {
        var image = new Image<Rgb24>(Width, Height);
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                image[x, y] = new Rgb24((byte)(x * 255 / Width), (byte)(y * 255 / Height), 128);
            }
        }

        return image;
    }
}
