using SkiaSharp;

namespace ImageClassifier.Imaging;

/// <summary>
/// The built-in image the function classifies before it serves a model: a smooth gradient, real
/// content for every stage of the JPEG decoder, made in memory so nothing is read from disk.
/// </summary>
public static class WarmUpImage
{
    private const int Width = 320;
    private const int Height = 240;
    private const int JpegQuality = 90;

    public const string ContentType = "image/jpeg";

    public static byte[] Jpeg()
    {
        using var pixels = Pixels();
        using var bitmap = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        pixels.Pixels.CopyTo(bitmap.GetPixelSpan());
        using var encoded = bitmap.Encode(SKEncodedImageFormat.Jpeg, JpegQuality);
        return encoded.ToArray();
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
                var at = x * DecodedImage.BytesPerPixel;
                row[at] = (byte)(x * 255 / Width);
                row[at + 1] = (byte)(y * 255 / Height);
                row[at + 2] = 128;
                row[at + 3] = byte.MaxValue;
            }
        }

        return image;
    }
}
