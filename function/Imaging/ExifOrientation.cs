using System.Buffers.Binary;

namespace ImageClassifier.Imaging;

/// <summary>
/// The one EXIF field classification needs, the orientation (tag 0x0112 of IFD0), read from a
/// TIFF-structured EXIF block in place: nothing else of the block is parsed or copied.
/// </summary>
internal static class ExifOrientation
{
    /// <summary>Stored as seen: no turn, no mirror.</summary>
    public const int Normal = 1;

    private const ushort OrientationTag = 0x0112;
    private const ushort ShortType = 3;
    private const int EntrySize = 12;

    /// <summary>1 to 8 as EXIF defines them; <see cref="Normal"/> for anything absent or malformed.</summary>
    public static int Read(ReadOnlySpan<byte> tiff)
    {
        if (tiff.Length < 8)
        {
            return Normal;
        }

        bool little;
        if (tiff[0] == 'I' && tiff[1] == 'I')
        {
            little = true;
        }
        else if (tiff[0] == 'M' && tiff[1] == 'M')
        {
            little = false;
        }
        else
        {
            return Normal;
        }

        var ifd = ReadUInt32(tiff[4..], little);
        if (ifd > (uint)tiff.Length - 2)
        {
            return Normal;
        }

        var entries = ReadUInt16(tiff[(int)ifd..], little);
        for (var i = 0; i < entries; i++)
        {
            var at = (long)ifd + 2 + ((long)i * EntrySize);
            if (at + EntrySize > tiff.Length)
            {
                return Normal;
            }

            var entry = tiff.Slice((int)at, EntrySize);
            if (ReadUInt16(entry, little) != OrientationTag)
            {
                continue;
            }

            var value = ReadUInt16(entry[2..], little) == ShortType ? ReadUInt16(entry[8..], little) : 0;
            return value is >= 1 and <= 8 ? value : Normal;
        }

        return Normal;
    }

    /// <summary>Orientations 5 to 8 turn the image a quarter, so its upright width is its stored height.</summary>
    public static bool SwapsSides(int orientation) => orientation >= 5;

    private static ushort ReadUInt16(ReadOnlySpan<byte> bytes, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(bytes) : BinaryPrimitives.ReadUInt16BigEndian(bytes);

    private static uint ReadUInt32(ReadOnlySpan<byte> bytes, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(bytes) : BinaryPrimitives.ReadUInt32BigEndian(bytes);
}
