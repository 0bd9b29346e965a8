using NetVips;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using SkiaSharp;

namespace ImageClassifier.DecodeFloor;

/// <summary>
/// The decoder candidates, each from JPEG bytes to RGB(A) pixels with a shorter side of 256 on
/// one thread, each returning the size it produced.
/// </summary>
internal static class Candidates
{
    public static readonly string[] Names = ["imagesharp", "netvips", "skiasharp"];

    private static readonly Configuration OneThread = new(new JpegConfigurationModule()) { MaxDegreeOfParallelism = 1 };
    private static readonly JpegDecoder WithoutMetadata = new() { IgnoreMetadata = true };

    public static Func<byte[], string> For(string name)
    {
        switch (name)
        {
            case "imagesharp":
                return ImageSharp;
            case "netvips":
                // No operation cache (every request is a new image) and one worker thread.
                Cache.Max = 0;
                NetVips.NetVips.Concurrency = 1;
                return Vips;
            case "skiasharp":
                return Skia;
            default:
                throw new ArgumentException($"unknown candidate {name}; one of {string.Join(", ", Names)}", nameof(name));
        }
    }

    private static (int Width, int Height) ShorterSideTo256(int width, int height)
    {
        var scale = (double)SkiaScaledDecode.ShorterSide / Math.Min(width, height);
        return (Math.Max(SkiaScaledDecode.ShorterSide, (int)Math.Round(width * scale)),
            Math.Max(SkiaScaledDecode.ShorterSide, (int)Math.Round(height * scale)));
    }

    /// <summary>ImageSharp 2.1.13, metadata ignored, bilinear resize of the 8-bit pixels.</summary>
    private static string ImageSharp(byte[] bytes)
    {
        using var image = SixLabors.ImageSharp.Image.Load<Rgb24>(OneThread, bytes, WithoutMetadata);
        var (width, height) = ShorterSideTo256(image.Width, image.Height);
        image.Mutate(c => c.Resize(width, height, KnownResamplers.Triangle));
        return $"{image.Width}x{image.Height}";
    }

    /// <summary>libvips thumbnail: shrink-on-load, then its own resize, pixels written to memory.</summary>
    private static string Vips(byte[] bytes)
    {
        int width, height;
        using (var header = NetVips.Image.NewFromBuffer(bytes, access: Enums.Access.Sequential))
        {
            (width, height) = ShorterSideTo256(header.Width, header.Height);
        }

        using var thumbnail = NetVips.Image.ThumbnailBuffer(bytes, width, height: height, size: Enums.Size.Down);
        _ = thumbnail.WriteToMemory<byte>();
        return $"{thumbnail.Width}x{thumbnail.Height}";
    }

    /// <summary>Skia: SKCodec at the reduced DCT scale, then Skia's bilinear resize to the same size.</summary>
    private static string Skia(byte[] bytes)
    {
        var (decoded, _) = SkiaScaledDecode.Decode(bytes);
        using (decoded)
        {
            var (width, height) = ShorterSideTo256(decoded.Width, decoded.Height);
            using var resized = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
            if (!decoded.PeekPixels().ScalePixels(resized.PeekPixels(), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None)))
            {
                throw new InvalidDataException("Skia could not resize");
            }

            return $"{width}x{height} (decoded {decoded.Width}x{decoded.Height})";
        }
    }
}
