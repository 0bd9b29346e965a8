using System.Buffers.Binary;

namespace ImageClassifier.Imaging;

/// <summary>
/// A WebP's size and kind from the chunks of its still (<see cref="StillWebp"/>), and the
/// orientation from the EXIF chunk of the original, which the still no longer carries. Lossless
/// images are decoded whole, four bytes a pixel, before they are scaled; lossy ones a macroblock
/// row at a time, with the alpha plane, if any, whole.
/// </summary>
internal static class WebpHeader
{
    private const int LossyRowCacheRows = 48;
    private const int LosslessCacheRows = 32;

    /// <param name="still">What <see cref="StillWebp"/> made of <paramref name="original"/>.</param>
    /// <param name="original">The WebP as received.</param>
    public static ImageFacts Read(ReadOnlySpan<byte> still, ReadOnlySpan<byte> original)
    {
        int width = 0, height = 0;
        bool? lossless = null;
        var alpha = false;
        foreach (var chunk in new WebpChunks(still, 12))
        {
            var data = chunk.Data;
            if (chunk.Is("VP8X"u8) && data.Length >= 10)
            {
                width = 1 + (int)ReadUInt24(data[4..]);
                height = 1 + (int)ReadUInt24(data[7..]);
            }
            else if (chunk.Is("ALPH"u8))
            {
                alpha = true;
            }
            else if (chunk.Is("VP8 "u8) && data.Length >= 10)
            {
                lossless = false;
                if (width == 0)
                {
                    width = BinaryPrimitives.ReadUInt16LittleEndian(data[6..]) & 0x3FFF;
                    height = BinaryPrimitives.ReadUInt16LittleEndian(data[8..]) & 0x3FFF;
                }
            }
            else if (chunk.Is("VP8L"u8) && data.Length >= 5)
            {
                lossless = true;
                if (width == 0)
                {
                    var bits = BinaryPrimitives.ReadUInt32LittleEndian(data[1..]);
                    width = 1 + (int)(bits & 0x3FFF);
                    height = 1 + (int)((bits >> 14) & 0x3FFF);
                }
            }
        }

        if (lossless is null)
        {
            throw ImageFailures.Corrupt("The WebP holds no image bitstream.");
        }

        if (width == 0 || height == 0)
        {
            throw ImageFailures.NoPixels();
        }

        long pixels = (long)width * height;
        var working = lossless.Value
            ? (pixels * 4) + ((long)width * LosslessCacheRows * 4)
            : ((long)width * LossyRowCacheRows * 3) + (alpha ? pixels : 0);
        return new ImageFacts(ImageFormat.Webp, width, height)
        {
            Orientation = Orientation(original),
            WorkingBytes = working,
            Scaling = DecodeScaling.Any,
        };
    }

    private static int Orientation(ReadOnlySpan<byte> webp)
    {
        foreach (var chunk in new WebpChunks(webp, 12))
        {
            if (chunk.Is("EXIF"u8))
            {
                return ExifOrientation.Read(chunk.Data.StartsWith("Exif\0\0"u8) ? chunk.Data[6..] : chunk.Data);
            }
        }

        return ExifOrientation.Normal;
    }

    private static uint ReadUInt24(ReadOnlySpan<byte> bytes) => bytes[0] | ((uint)bytes[1] << 8) | ((uint)bytes[2] << 16);
}
