using System.Buffers.Binary;
using System.Text;

namespace ImageClassifier.Tests.Imaging;

/// <summary>
/// Extended (VP8X) WebP files carrying chunks ImageSharp 2.x does not write: a still's pixel
/// chunks (ALPH, VP8, VP8L) behind a VP8X header, with metadata chunks where the container puts
/// them, ICCP before the pixels and everything else after.
/// </summary>
internal static class HandMadeExtendedWebp
{
    private const byte IccFlag = 0x20;
    private const byte AlphaFlag = 0x10;
    private const byte ExifFlag = 0x08;
    private const byte XmpFlag = 0x04;

    public static byte[] With(byte[] webp, int width, int height, params (string FourCc, byte[] Data)[] metadata)
    {
        var pixels = HandMadeAnimatedWebp.ImageChunks(webp);
        var flags = (byte)(pixels.AsSpan().StartsWith("ALPH"u8) ? AlphaFlag : 0);
        foreach (var (fourCc, _) in metadata)
        {
            flags |= fourCc switch
            {
                "ICCP" => IccFlag,
                "EXIF" => ExifFlag,
                "XMP " => XmpFlag,
                _ => 0,
            };
        }

        using var body = new MemoryStream();
        body.Write("WEBP"u8);
        HandMadeAnimatedWebp.WriteChunk(body, "VP8X", [flags, 0, 0, 0, .. HandMadeAnimatedWebp.UInt24(width - 1), .. HandMadeAnimatedWebp.UInt24(height - 1)]);
        foreach (var (fourCc, data) in metadata.Where(chunk => chunk.FourCc == "ICCP"))
        {
            HandMadeAnimatedWebp.WriteChunk(body, fourCc, data);
        }

        body.Write(pixels);
        foreach (var (fourCc, data) in metadata.Where(chunk => chunk.FourCc != "ICCP"))
        {
            HandMadeAnimatedWebp.WriteChunk(body, fourCc, data);
        }

        return Riff(body.ToArray());
    }

    /// <summary>The WebP with one more chunk at its end, its VP8X flagged for it if it has one.</summary>
    public static byte[] Appending(byte[] webp, string fourCc, byte[] data, byte flag)
    {
        using var body = new MemoryStream();
        body.Write(webp, 8, webp.Length - 8);
        HandMadeAnimatedWebp.WriteChunk(body, fourCc, data);
        var appended = Riff(body.ToArray());
        appended[20] |= flag;
        return appended;
    }

    /// <summary>The WebP with its first chunk of type <paramref name="fourCc"/> declaring <paramref name="size"/> bytes, whatever it holds.</summary>
    public static byte[] Declaring(byte[] webp, string fourCc, uint size)
    {
        var lying = webp.ToArray();
        var at = lying.AsSpan().IndexOf(Encoding.ASCII.GetBytes(fourCc));
        BinaryPrimitives.WriteUInt32LittleEndian(lying.AsSpan(at + 4), size);
        return lying;
    }

    /// <summary>The four-character types of the top-level chunks, in order.</summary>
    public static IReadOnlyList<string> ChunkTypes(ReadOnlySpan<byte> webp)
    {
        var types = new List<string>();
        for (var offset = 12L; offset + 8 <= webp.Length;)
        {
            types.Add(Encoding.ASCII.GetString(webp.Slice((int)offset, 4)));
            var size = BinaryPrimitives.ReadUInt32LittleEndian(webp[((int)offset + 4)..]);
            offset += 8 + (long)size + (size & 1);
        }

        return types;
    }

    private static byte[] Riff(byte[] body)
    {
        var riff = new byte[8 + body.Length];
        "RIFF"u8.CopyTo(riff);
        BinaryPrimitives.WriteUInt32LittleEndian(riff.AsSpan(4), (uint)body.Length);
        body.CopyTo(riff, 8);
        return riff;
    }
}
