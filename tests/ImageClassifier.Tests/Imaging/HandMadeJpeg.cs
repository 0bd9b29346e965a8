using System.Buffers.Binary;

namespace ImageClassifier.Tests.Imaging;

/// <summary>
/// Baseline JPEGs written byte by byte, so a test can make a photo-sized file in a few hundred
/// kilobytes: every block of every component is mid-grey (a zero DC difference and an immediate
/// end-of-block), coded with Huffman tables that give each of those one 1-bit code, so a block
/// costs 2 bits and the entropy-coded data is all zero bytes. 4:2:0 sampling, as a camera's.
/// </summary>
internal static class HandMadeJpeg
{
    /// <summary>One scan holding all three components, MCU after MCU: what an ordinary photo is.</summary>
    public static byte[] Interleaved(int width, int height)
    {
        using var jpeg = Start(width, height);
        var mcus = (long)Ceiling(width, 16) * Ceiling(height, 16);
        Scan(jpeg, [1, 2, 3], mcus * 6);
        return End(jpeg);
    }

    /// <summary>
    /// Each component in a scan of its own: legal baseline, and the decoder must keep every
    /// coefficient of the image until the last scan arrives.
    /// </summary>
    public static byte[] ScanPerComponent(int width, int height)
    {
        using var jpeg = Start(width, height);
        Scan(jpeg, [1], (long)Ceiling(width, 8) * Ceiling(height, 8));
        var (chromaWidth, chromaHeight) = (Ceiling(width, 2), Ceiling(height, 2));
        Scan(jpeg, [2], (long)Ceiling(chromaWidth, 8) * Ceiling(chromaHeight, 8));
        Scan(jpeg, [3], (long)Ceiling(chromaWidth, 8) * Ceiling(chromaHeight, 8));
        return End(jpeg);
    }

    /// <summary>
    /// Four components at full resolution with Adobe's marker saying no transform (CMYK, stored
    /// inverted as Photoshop writes it), every sample 128.
    /// </summary>
    public static byte[] Cmyk(int width, int height)
    {
        using var jpeg = new MemoryStream();
        jpeg.Write([0xFF, 0xD8]);

        // APP14 "Adobe": version 100, flags 0 and 0, transform 0.
        Segment(jpeg, 0xEE, [.. "Adobe"u8, 0, 100, 0, 0, 0, 0, 0]);
        Segment(jpeg, 0xDB, [0, .. Enumerable.Repeat((byte)1, 64)]);
        var frame = new byte[6 + (4 * 3)];
        frame[0] = 8;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(1), (ushort)height);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(3), (ushort)width);
        frame[5] = 4;
        for (var i = 0; i < 4; i++)
        {
            (frame[6 + (3 * i)], frame[7 + (3 * i)], frame[8 + (3 * i)]) = ((byte)(i + 1), 0x11, 0);
        }

        Segment(jpeg, 0xC0, frame);
        Segment(jpeg, 0xC4, [0x00, 1, .. new byte[15], 0x00]);
        Segment(jpeg, 0xC4, [0x10, 1, .. new byte[15], 0x00]);
        Scan(jpeg, [1, 2, 3, 4], (long)Ceiling(width, 8) * Ceiling(height, 8) * 4);
        return End(jpeg);
    }

    private static MemoryStream Start(int width, int height)
    {
        var jpeg = new MemoryStream();
        jpeg.Write([0xFF, 0xD8]);

        // One quantisation table of ones.
        Segment(jpeg, 0xDB, [0, .. Enumerable.Repeat((byte)1, 64)]);

        // Frame: 8-bit, the size, Y at 2x2, Cb and Cr at 1x1, all on table 0.
        var frame = new byte[15];
        frame[0] = 8;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(1), (ushort)height);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(3), (ushort)width);
        frame[5] = 3;
        (frame[6], frame[7], frame[8]) = (1, 0x22, 0);
        (frame[9], frame[10], frame[11]) = (2, 0x11, 0);
        (frame[12], frame[13], frame[14]) = (3, 0x11, 0);
        Segment(jpeg, 0xC0, frame);

        // DC table 0 and AC table 0, each one symbol (DC difference category 0; end of block) with the 1-bit code 0.
        Segment(jpeg, 0xC4, [0x00, 1, .. new byte[15], 0x00]);
        Segment(jpeg, 0xC4, [0x10, 1, .. new byte[15], 0x00]);
        return jpeg;
    }

    private static void Scan(MemoryStream jpeg, byte[] components, long blocks)
    {
        var header = new List<byte> { (byte)components.Length };
        foreach (var component in components)
        {
            header.Add(component);
            header.Add(0x00);
        }

        header.AddRange([0, 63, 0]);
        Segment(jpeg, 0xDA, [.. header]);
        jpeg.Write(new byte[(int)Ceiling(blocks * 2, 8)]);
    }

    private static byte[] End(MemoryStream jpeg)
    {
        jpeg.Write([0xFF, 0xD9]);
        return jpeg.ToArray();
    }

    private static void Segment(MemoryStream jpeg, byte marker, byte[] payload)
    {
        jpeg.Write([0xFF, marker]);
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)(payload.Length + 2));
        jpeg.Write(length);
        jpeg.Write(payload);
    }

    private static int Ceiling(int value, int divisor) => (value + divisor - 1) / divisor;

    private static long Ceiling(long value, int divisor) => (value + divisor - 1) / divisor;
}
