using System.Buffers.Binary;

namespace ImageClassifier.Tests.Imaging;

/// <summary>
/// GIF files written byte by byte: a large logical screen and many one-pixel frames, a few
/// dozen bytes each, so a small file asks a decoder that renders every frame for gigabytes.
/// </summary>
internal static class HandMadeGif
{
    public static byte[] WithFrames(ushort screenWidth, ushort screenHeight, int frames)
    {
        using var gif = new MemoryStream();
        gif.Write("GIF89a"u8);
        WriteUInt16(gif, screenWidth);
        WriteUInt16(gif, screenHeight);
        // A global colour table of two entries, background 0, no aspect ratio; black and white.
        gif.Write([0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF]);
        for (var i = 0; i < frames; i++)
        {
            // Graphic control extension: no disposal, 10 ms delay.
            gif.Write([0x21, 0xF9, 0x04, 0x00, 0x01, 0x00, 0x00, 0x00]);
            // Image descriptor: a 1x1 frame at the top-left corner, no local colour table.
            gif.Write([0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
            // LZW data, minimum code size 2: clear, pixel 0, end of information.
            gif.Write([0x02, 0x02, 0x44, 0x01, 0x00]);
        }

        gif.WriteByte(0x3B);
        return gif.ToArray();
    }

    private static void WriteUInt16(MemoryStream stream, ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        stream.Write(bytes);
    }
}
