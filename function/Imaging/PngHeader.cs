using System.Buffers.Binary;

namespace ImageClassifier.Imaging;

/// <summary>
/// A PNG's chunks walked in place, by their lengths alone: the size, depth, colour type and
/// interlacing from IHDR, the orientation from eXIf. The decoder is shown only the chunks that
/// make the pixels (IHDR, PLTE, tRNS, IDAT, IEND): text (compressed or not), profiles, EXIF, an
/// animation's frames and anything unknown are hidden, so nothing is inflated or kept for them.
/// </summary>
internal static class PngHeader
{
    private const int SignatureLength = 8;
    private const int ChunkOverhead = 12;

    public static ImageFacts Read(ReadOnlySpan<byte> png)
    {
        var hidden = new HiddenRanges();
        var orientation = ExifOrientation.Normal;
        int width = 0, height = 0, depth = 0, colourType = 0;
        var interlaced = false;
        for (var at = SignatureLength; at + ChunkOverhead <= png.Length;)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(png[at..]);
            var type = png.Slice(at + 4, 4);
            var end = at + ChunkOverhead + (long)length;
            if (end > png.Length)
            {
                // A chunk that claims more than there is: the decoder gets what there is and reports it cut short.
                break;
            }

            var data = png.Slice(at + 8, (int)length);
            if (at == SignatureLength)
            {
                if (!type.SequenceEqual("IHDR"u8) || length < 13)
                {
                    throw ImageFailures.Corrupt("The PNG does not begin with its header chunk.");
                }

                width = checked((int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(data), int.MaxValue));
                height = checked((int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(data[4..]), int.MaxValue));
                depth = data[8];
                colourType = data[9];
                interlaced = data[12] != 0;
            }
            else if (type.SequenceEqual("eXIf"u8))
            {
                orientation = ExifOrientation.Read(data);
                hidden.Add(at, (int)end);
            }
            else if (!(type.SequenceEqual("PLTE"u8) || type.SequenceEqual("tRNS"u8) || type.SequenceEqual("IDAT"u8) || type.SequenceEqual("IEND"u8)))
            {
                hidden.Add(at, (int)end);
            }

            at = (int)end;
        }

        if (width == 0 || height == 0)
        {
            throw width == 0 && depth == 0 ? ImageFailures.Corrupt("The PNG has no header chunk.") : ImageFailures.NoPixels();
        }

        // Skia decodes a PNG whole (it has no row-at-a-time PNG decoder) into the output; beside it,
        // libpng's rows at up to 8 bytes a pixel (16-bit RGBA), and an interlaced image whole.
        long bytesPerPixel = depth == 16 ? 8 : 4;
        var rows = 2L * width * bytesPerPixel;
        return new ImageFacts(ImageFormat.Png, width, height)
        {
            Orientation = orientation,
            WorkingBytes = rows + (interlaced ? (long)width * height * bytesPerPixel : 0) + (colourType == 3 ? 256 * 4 : 0),
            Hidden = hidden.Ranges,
        };
    }
}
