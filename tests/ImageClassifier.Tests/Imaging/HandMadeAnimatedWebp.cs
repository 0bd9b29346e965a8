using System.Buffers.Binary;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace ImageClassifier.Tests.Imaging;

/// <summary>
/// Animated WebP files, which ImageSharp 2.x cannot write: each frame is a still encoded by
/// ImageSharp, its chunks (ALPH, VP8, VP8L) wrapped in an ANMF chunk behind VP8X and ANIM headers.
/// </summary>
internal static class HandMadeAnimatedWebp
{
    /// <summary>The width and height of every frame.</summary>
    public const int Side = 8;

    public static byte[] WithFrames(WebpFileFormatType format, params Rgba32[] colours)
    {
        using var body = new MemoryStream();
        body.Write("WEBP"u8);
        WriteChunk(body, "VP8X", [0x12, 0, 0, 0, .. UInt24(Side - 1), .. UInt24(Side - 1)]);
        WriteChunk(body, "ANIM", [0xFF, 0xFF, 0xFF, 0xFF, 0, 0]);
        foreach (var colour in colours)
        {
            using var still = new Image<Rgba32>(Side, Side, colour);
            using var encoded = new MemoryStream();
            still.SaveAsWebp(encoded, new WebpEncoder { FileFormat = format });
            // Frame at (0, 0), its size, 100 ms, no blending, no disposal.
            byte[] header = [0, 0, 0, 0, 0, 0, .. UInt24(Side - 1), .. UInt24(Side - 1), 100, 0, 0, 0x02];
            WriteChunk(body, "ANMF", [.. header, .. ImageChunks(encoded.ToArray())]);
        }

        using var riff = new MemoryStream();
        riff.Write("RIFF"u8);
        riff.Write(UInt32((uint)body.Length));
        riff.Write(body.ToArray());
        return riff.ToArray();
    }

    /// <summary>The chunks of a still WebP that carry pixels, without the RIFF header and any VP8X.</summary>
    public static byte[] ImageChunks(byte[] webp)
    {
        using var chunks = new MemoryStream();
        for (var offset = 12; offset + 8 <= webp.Length;)
        {
            var length = 8 + (int)BinaryPrimitives.ReadUInt32LittleEndian(webp.AsSpan(offset + 4));
            length += length & 1;
            if (!webp.AsSpan(offset, 4).SequenceEqual("VP8X"u8))
            {
                chunks.Write(webp, offset, Math.Min(length, webp.Length - offset));
            }

            offset += length;
        }

        return chunks.ToArray();
    }

    public static void WriteChunk(MemoryStream stream, string fourCc, byte[] data)
    {
        stream.Write(System.Text.Encoding.ASCII.GetBytes(fourCc));
        stream.Write(UInt32((uint)data.Length));
        stream.Write(data);
        if (data.Length % 2 == 1)
        {
            stream.WriteByte(0);
        }
    }

    public static byte[] UInt24(int value) => [(byte)value, (byte)(value >> 8), (byte)(value >> 16)];

    private static byte[] UInt32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return bytes;
    }
}
