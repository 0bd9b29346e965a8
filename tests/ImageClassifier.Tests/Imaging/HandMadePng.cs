using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ImageClassifier.Tests.Imaging;

/// <summary>
/// PNG files written byte by byte, so a test can declare any size in the header without an
/// encoder allocating the pixels: signature, IHDR, a tiny IDAT, IEND, each with a correct CRC.
/// </summary>
internal static class HandMadePng
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>A zlib stream of no data: the IDAT of an image that is never meant to be decoded.</summary>
    private static readonly byte[] EmptyZlib = [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01];

    /// <summary>Bytes that are not a zlib stream at all.</summary>
    private static readonly byte[] NotZlib = [0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC, 0xDE, 0xF0];

    public static byte[] WithHeader(uint width, uint height) => Build(width, height, EmptyZlib);

    /// <summary>
    /// A decompression bomb: a real, decodable RGBA image of <paramref name="side"/> × <paramref name="side"/>
    /// transparent black pixels, whose rows of zeros compress about a thousandfold (6324 a side:
    /// 40 megapixels, 160 MB of pixels, in a file of about 155 KB).
    /// </summary>
    public static byte[] Bomb(uint side)
    {
        using var pixels = new MemoryStream();
        using (var zlib = new ZLibStream(pixels, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            // Each row: filter type 0, then four zero bytes a pixel.
            var row = new byte[1 + (side * 4)];
            for (var y = 0; y < side; y++)
            {
                zlib.Write(row);
            }
        }

        return Build(side, side, pixels.ToArray(), colourType: 6);
    }

    /// <summary>
    /// A 1x1 image carrying <paramref name="chunks"/> zTXt chunks whose text each inflates to
    /// <paramref name="inflatedBytes"/> bytes, about a thousand times its compressed size: what a
    /// decoder that reads text metadata pays for in full before a pixel.
    /// </summary>
    public static byte[] TextBomb(int chunks, int inflatedBytes)
    {
        using var text = new MemoryStream();
        text.Write("Comment\0\0"u8);
        using (var zlib = new ZLibStream(text, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var block = new byte[1024 * 1024];
            Array.Fill(block, (byte)'A');
            for (var left = inflatedBytes; left > 0; left -= block.Length)
            {
                zlib.Write(block, 0, Math.Min(left, block.Length));
            }
        }

        var plain = Build(1, 1, OnePixel());
        var data = text.ToArray();
        var bomb = plain;
        for (var i = 0; i < chunks; i++)
        {
            bomb = WithChunkAfterHeader(bomb, "zTXt", data);
        }

        return bomb;
    }

    /// <summary>A valid header followed by pixel data that cannot be inflated.</summary>
    public static byte[] WithDamagedPixelData(uint width, uint height) => Build(width, height, NotZlib);

    /// <summary>An encoded PNG with one more chunk right after its IHDR (which is 25 bytes after the signature).</summary>
    public static byte[] WithChunkAfterHeader(byte[] png, string type, byte[] data)
    {
        const int afterHeader = 8 + 25;
        using var result = new MemoryStream();
        result.Write(png, 0, afterHeader);
        WriteChunk(result, type, data);
        result.Write(png, afterHeader, png.Length - afterHeader);
        return result.ToArray();
    }

    /// <summary>The zlib stream of one RGB pixel's row: filter 0, then a grey pixel.</summary>
    private static byte[] OnePixel()
    {
        using var pixels = new MemoryStream();
        using (var zlib = new ZLibStream(pixels, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write([0, 128, 128, 128]);
        }

        return pixels.ToArray();
    }

    private static byte[] Build(uint width, uint height, byte[] pixelData, byte colourType = 2)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(header, width);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = colourType; // 2: RGB, 6: RGBA

        using var png = new MemoryStream();
        png.Write(Signature);
        WriteChunk(png, "IHDR", header);
        WriteChunk(png, "IDAT", pixelData);
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(MemoryStream png, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(number, (uint)data.Length);
        png.Write(number);

        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(typeAndData));
        png.Write(number);
    }

    /// <summary>The CRC-32 PNG chunks carry (ISO 3309, reflected polynomial 0xEDB88320).</summary>
    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
