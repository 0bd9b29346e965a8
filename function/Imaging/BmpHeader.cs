using System.Buffers.Binary;

namespace ImageClassifier.Imaging;

/// <summary>A BMP's size from its info header (a negative height means top-down rows). It decodes a row at a time.</summary>
internal static class BmpHeader
{
    public static ImageFacts Read(ReadOnlySpan<byte> bmp)
    {
        if (bmp.Length < 26)
        {
            throw ImageFailures.Corrupt("The BMP ends inside its header.");
        }

        // Skia skips to the pixels through the stream, and SkiaSharp's stream adapter throws on a skip past 2 GiB from
        // inside the native decoder, which ends the process.
        if (BinaryPrimitives.ReadUInt32LittleEndian(bmp[10..]) > bmp.Length)
        {
            throw ImageFailures.Corrupt("The BMP's pixels begin past its end.");
        }

        var infoSize = BinaryPrimitives.ReadUInt32LittleEndian(bmp[14..]);
        long width, height;
        if (infoSize == 12)
        {
            width = BinaryPrimitives.ReadUInt16LittleEndian(bmp[18..]);
            height = BinaryPrimitives.ReadUInt16LittleEndian(bmp[20..]);
        }
        else
        {
            width = BinaryPrimitives.ReadInt32LittleEndian(bmp[18..]);
            height = Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(bmp[22..]));
        }

        if (width <= 0 || height <= 0)
        {
            throw ImageFailures.NoPixels();
        }

        var (clampedWidth, clampedHeight) = ((int)Math.Min(width, int.MaxValue), (int)Math.Min(height, int.MaxValue));

        // A source row and its conversion.
        return new ImageFacts(ImageFormat.Bmp, clampedWidth, clampedHeight) { WorkingBytes = 2L * clampedWidth * 4, Scanlines = true };
    }
}
