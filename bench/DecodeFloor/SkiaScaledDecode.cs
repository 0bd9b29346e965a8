using SkiaSharp;

namespace ImageClassifier.DecodeFloor;

/// <summary>
/// The coordinator's decoder: SKCodec (Skia's libjpeg-turbo) decoding a JPEG at the smallest DCT
/// scale of 1/8, 1/4, 1/2, 1 whose scaled size still has a shorter side of at least
/// <see cref="ShorterSide"/>, the size the image is then resized to; other formats at full size.
/// </summary>
internal static class SkiaScaledDecode
{
    public const int ShorterSide = 256;

    private static readonly float[] Scales = [1f / 8, 1f / 4, 1f / 2, 1f];

    /// <summary>Decodes to RGBA at the chosen scale; returns the bitmap and the scale used.</summary>
    public static unsafe (SKBitmap Bitmap, float Scale) Decode(byte[] bytes)
    {
        fixed (byte* pointer = bytes)
        {
            using var data = SKData.Create((IntPtr)pointer, bytes.Length);
            using var codec = SKCodec.Create(data) ?? throw new InvalidDataException("not an image Skia can decode");
            var (size, scale) = Choose(codec);
            var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
            var bitmap = new SKBitmap(info);
            var result = codec.GetPixels(info, bitmap.GetPixels());
            if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
            {
                bitmap.Dispose();
                throw new InvalidDataException($"Skia could not decode: {result}");
            }

            return (bitmap, scale);
        }
    }

    private static (SKSizeI Size, float Scale) Choose(SKCodec codec)
    {
        foreach (var scale in Scales)
        {
            var size = codec.GetScaledDimensions(scale);
            if (Math.Min(size.Width, size.Height) >= ShorterSide)
            {
                return (size, scale);
            }
        }

        return (codec.Info.Size, 1f);
    }
}
