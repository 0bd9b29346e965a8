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

    /// <summary>
    /// As <see cref="Decode"/>, but of a JPEG only the part an ImageNet centre crop (224 of 256)
    /// reads, with the resize filter's reach and a margin, as the function decodes it: libjpeg-turbo
    /// skips the inverse DCT of the columns outside it and of the rows above it, and stops after
    /// its last row. Other formats whole.
    /// </summary>
    public static unsafe (SKBitmap Bitmap, float Scale) DecodeCentre(byte[] bytes)
    {
        fixed (byte* pointer = bytes)
        {
            using var data = SKData.Create((IntPtr)pointer, bytes.Length);
            using var codec = SKCodec.Create(data) ?? throw new InvalidDataException("not an image Skia can decode");
            if (codec.EncodedFormat != SKEncodedImageFormat.Jpeg)
            {
                return Decode(bytes);
            }

            var (size, scale) = Choose(codec);
            var shorter = Math.Min(size.Width, size.Height);
            var ratio = (double)shorter / ShorterSide;
            var side = (int)Math.Ceiling(224 * ratio) + (2 * ((int)Math.Ceiling(ratio) + 2));
            var (width, height) = (Math.Min(side, size.Width), Math.Min(side, size.Height));
            var (left, top) = ((size.Width - width) / 2, (size.Height - height) / 2);
            var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
            var started = codec.StartScanlineDecode(info, new SKCodecOptions(new SKRectI(left, 0, left + width, size.Height)));
            if (started != SKCodecResult.Success || !codec.SkipScanlines(top))
            {
                throw new InvalidDataException($"Skia could not start the decode: {started}");
            }

            var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
            if (codec.GetScanlines(bitmap.GetPixels(), height, bitmap.RowBytes) != height)
            {
                bitmap.Dispose();
                throw new InvalidDataException("Skia could not decode the rows");
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
