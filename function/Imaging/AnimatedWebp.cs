using System.Buffers.Binary;

namespace ImageClassifier.Imaging;

/// <summary>
/// ImageSharp 2.x refuses any animated WebP ("not yet supported"), while a classifier needs only
/// the first frame: an animated WebP is rewritten as the still WebP of its first frame before it
/// is identified. Whatever does not parse as an animated WebP is returned unchanged, for the
/// decoder to judge.
/// </summary>
internal static class AnimatedWebp
{
    private const int ChunkHeaderBytes = 8;
    private const int FrameHeaderBytes = 16;
    private const byte AnimationFlag = 0x02;
    private const byte AlphaFlag = 0x10;

    public static ReadOnlyMemory<byte> FirstFrameOrSelf(ReadOnlyMemory<byte> bytes)
    {
        var webp = bytes.Span;
        if (webp.Length < 30 || !webp[..4].SequenceEqual("RIFF"u8) || !webp.Slice(8, 4).SequenceEqual("WEBP"u8)
            || !webp.Slice(12, 4).SequenceEqual("VP8X"u8) || (webp[20] & AnimationFlag) == 0)
        {
            return bytes;
        }

        for (var offset = 12L; offset + ChunkHeaderBytes <= webp.Length;)
        {
            var size = BinaryPrimitives.ReadUInt32LittleEndian(webp.Slice((int)offset + 4, 4));
            if (size > webp.Length - offset - ChunkHeaderBytes)
            {
                return bytes;
            }

            if (webp.Slice((int)offset, 4).SequenceEqual("ANMF"u8))
            {
                return StillOf(webp.Slice((int)offset + ChunkHeaderBytes, (int)size)) ?? bytes;
            }

            // Chunks are padded to an even length.
            offset += ChunkHeaderBytes + size + (size & 1);
        }

        return bytes;
    }

    /// <summary>
    /// A frame holds its size, then an optional ALPH chunk and the VP8 or VP8L bitstream: the
    /// same chunks a still image holds, in an extended (VP8X) container that declares that size.
    /// </summary>
    private static byte[]? StillOf(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < FrameHeaderBytes + ChunkHeaderBytes)
        {
            return null;
        }

        var data = frame[FrameHeaderBytes..];
        var still = new byte[12 + ChunkHeaderBytes + 10 + data.Length];
        "RIFF"u8.CopyTo(still);
        BinaryPrimitives.WriteUInt32LittleEndian(still.AsSpan(4), (uint)(still.Length - 8));
        "WEBPVP8X"u8.CopyTo(still.AsSpan(8));
        BinaryPrimitives.WriteUInt32LittleEndian(still.AsSpan(16), 10);
        still[20] = data.StartsWith("ALPH"u8) ? AlphaFlag : (byte)0;
        // Canvas width - 1 and height - 1, 24 bits each: the frame's own, as its header gives them.
        frame.Slice(6, 6).CopyTo(still.AsSpan(24));
        data.CopyTo(still.AsSpan(30));
        return still;
    }
}
