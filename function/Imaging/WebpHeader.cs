using System.Buffers.Binary;

namespace ImageClassifier.Imaging;

/// <summary>
/// A still WebP's size and kind from its chunks (an animation has already been cut to its first
/// frame, <see cref="AnimatedWebp"/>), and the orientation from an EXIF chunk. Lossless images are
/// decoded whole, four bytes a pixel, before they are scaled; lossy ones a macroblock row at a
/// time, with the alpha plane, if any, whole.
/// </summary>
internal static class WebpHeader
{
    private const int ChunkHeaderBytes = 8;
    private const int LossyRowCacheRows = 48;
    private const int LosslessCacheRows = 32;

    public static ImageFacts Read(ReadOnlySpan<byte> webp)
    {
        int width = 0, height = 0;
        bool? lossless = null;
        var alpha = false;
        var orientation = ExifOrientation.Normal;
        for (var at = 12L; at + ChunkHeaderBytes <= webp.Length;)
        {
            var type = webp.Slice((int)at, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(webp[((int)at + 4)..]);
            var data = webp.Slice((int)at + ChunkHeaderBytes, (int)Math.Min(size, webp.Length - at - ChunkHeaderBytes));
            if (type.SequenceEqual("VP8X"u8) && data.Length >= 10)
            {
                width = 1 + (int)ReadUInt24(data[4..]);
                height = 1 + (int)ReadUInt24(data[7..]);
            }
            else if (type.SequenceEqual("ALPH"u8))
            {
                alpha = true;
            }
            else if (type.SequenceEqual("EXIF"u8))
            {
                orientation = ExifOrientation.Read(data.StartsWith("Exif\0\0"u8) ? data[6..] : data);
            }
            else if (type.SequenceEqual("VP8 "u8) && data.Length >= 10)
            {
                lossless = false;
                if (width == 0)
                {
                    width = BinaryPrimitives.ReadUInt16LittleEndian(data[6..]) & 0x3FFF;
                    height = BinaryPrimitives.ReadUInt16LittleEndian(data[8..]) & 0x3FFF;
                }
            }
            else if (type.SequenceEqual("VP8L"u8) && data.Length >= 5)
            {
                lossless = true;
                if (width == 0)
                {
                    var bits = BinaryPrimitives.ReadUInt32LittleEndian(data[1..]);
                    width = 1 + (int)(bits & 0x3FFF);
                    height = 1 + (int)((bits >> 14) & 0x3FFF);
                }
            }

            // Chunks are padded to an even length; in long, since a size near 4 GiB wraps a uint sum to 0 and the loop would never end.
            at += ChunkHeaderBytes + (long)size + (size & 1);
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
            Orientation = orientation,
            WorkingBytes = working,
            Scaling = DecodeScaling.Any,
        };
    }

    private static uint ReadUInt24(ReadOnlySpan<byte> bytes) => bytes[0] | ((uint)bytes[1] << 8) | ((uint)bytes[2] << 16);
}
