using System.Buffers.Binary;

namespace ImageClassifier.Imaging;

/// <summary>
/// Image formats the function does not decode, recognised by their signatures before the decoder
/// sees a byte, so that a phone's HEIC photo is answered "a format we do not take" (415) and not
/// "not an image" (422).
/// </summary>
internal static class UnsupportedFormats
{
    /// <summary>What the function does decode, for the refusal's detail.</summary>
    public const string Accepted = "JPEG, PNG, WebP, GIF or BMP";

    /// <summary>The name of the unsupported format the bytes begin with, or null.</summary>
    public static string? Recognise(ReadOnlySpan<byte> bytes) => bytes switch
    {
        [(byte)'I', (byte)'I', 42 or 43, 0, ..] or [(byte)'M', (byte)'M', 0, 42 or 43, ..] => "TIFF",
        [0, 0, 0, 0x0C, (byte)'j', (byte)'P', (byte)' ', (byte)' ', 0x0D, 0x0A, 0x87, 0x0A, ..] => "JPEG 2000",
        [0xFF, 0x4F, 0xFF, 0x51, ..] => "JPEG 2000",
        [0, 0, 1, 0, var count, 0, ..] when count > 0 => "ICO",
        [_, _, _, _, (byte)'f', (byte)'t', (byte)'y', (byte)'p', ..] => IsoMediaImage(bytes),
        _ => null,
    };

    /// <summary>An ISO base media file (the HEIF family) whose brands name an image format: AVIF before HEIF, as AVIF files list both.</summary>
    private static string? IsoMediaImage(ReadOnlySpan<byte> bytes)
    {
        // The box's brands, as far as the box and the bytes go (a body of 8 to 11 bytes has none).
        var boxSize = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        var brands = bytes[8..(int)Math.Max(8, Math.Min(boxSize, (uint)bytes.Length))];
        var avif = false;
        var heif = false;
        for (var at = 0; at + 4 <= brands.Length; at += at == 0 ? 8 : 4)
        {
            var brand = brands.Slice(at, 4);
            avif |= brand.SequenceEqual("avif"u8) || brand.SequenceEqual("avis"u8);
            heif |= brand.SequenceEqual("heic"u8) || brand.SequenceEqual("heix"u8) || brand.SequenceEqual("hevc"u8)
                || brand.SequenceEqual("hevx"u8) || brand.SequenceEqual("heim"u8) || brand.SequenceEqual("heis"u8)
                || brand.SequenceEqual("mif1"u8) || brand.SequenceEqual("msf1"u8);
        }

        return avif ? "AVIF" : heif ? "HEIC/HEIF" : null;
    }
}
