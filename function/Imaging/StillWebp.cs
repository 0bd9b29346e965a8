using System.Buffers.Binary;

namespace ImageClassifier.Imaging;

/// <summary>
/// What Skia is given of a WebP: a still image and nothing else. An animation is cut to its first
/// frame, all a classifier uses; a still's ICC profile, EXIF, XMP and unknown chunks are dropped,
/// so libwebp's demuxer never walks them and Skia neither copies them nor parses the profile (the
/// orientation is read from the original, <see cref="WebpHeader"/>). Hiding their bytes would not
/// do, since the RIFF size and the VP8X flags describe them: either is rewritten as RIFF, VP8X
/// (keeping only the alpha flag), then ALPH and VP8, or VP8L, in one allocation never larger than
/// the body. A WebP with nothing to drop, or that does not parse as an extended one, is returned
/// unchanged, for the decoder to judge.
/// </summary>
internal static class StillWebp
{
    private const int HeaderBytes = 30;
    private const int FrameHeaderBytes = 16;
    private const int Vp8xBytes = 10;
    private const byte AnimationFlag = 0x02;
    private const byte AlphaFlag = 0x10;

    public static ReadOnlyMemory<byte> Of(ReadOnlyMemory<byte> bytes)
    {
        var webp = bytes.Span;
        if (webp.Length < HeaderBytes || !webp[..4].SequenceEqual("RIFF"u8) || !webp.Slice(8, 4).SequenceEqual("WEBP"u8)
            || !webp.Slice(12, 4).SequenceEqual("VP8X"u8) || BinaryPrimitives.ReadUInt32LittleEndian(webp[16..]) < Vp8xBytes)
        {
            return bytes;
        }

        // The canvas's width - 1 and height - 1, 24 bits each.
        return (webp[20] & AnimationFlag) != 0
            ? FirstFrame(webp) ?? bytes
            : Rewritten(webp.Slice(24, 6), (byte)(webp[20] & AlphaFlag), webp, 12, onlyIfDropping: true) ?? bytes;
    }

    private static byte[]? FirstFrame(ReadOnlySpan<byte> webp)
    {
        foreach (var chunk in new WebpChunks(webp, 12))
        {
            if (chunk.Truncated)
            {
                return null;
            }

            // A frame holds its offset, size and timing, then the chunks of a still image: the
            // canvas is the frame's own size.
            if (chunk.Is("ANMF"u8))
            {
                var frame = chunk.Data;
                return frame.Length < FrameHeaderBytes + WebpChunks.HeaderBytes
                    ? null
                    : Rewritten(frame.Slice(6, 6), frame[FrameHeaderBytes..].StartsWith("ALPH"u8) ? AlphaFlag : (byte)0, frame, FrameHeaderBytes, onlyIfDropping: false);
            }
        }

        return null;
    }

    /// <summary>The pixel chunks from <paramref name="start"/> on, behind a new VP8X; null when <paramref name="onlyIfDropping"/> and every chunk is kept.</summary>
    private static byte[]? Rewritten(ReadOnlySpan<byte> canvas, byte flags, ReadOnlySpan<byte> chunks, int start, bool onlyIfDropping)
    {
        var length = (long)HeaderBytes;
        var dropping = false;
        foreach (var chunk in new WebpChunks(chunks, start))
        {
            if (chunk.HoldsPixels)
            {
                length += WebpChunks.HeaderBytes + chunk.Data.Length + (chunk.Data.Length & 1);
            }
            else
            {
                dropping |= !chunk.Is("VP8X"u8);
            }
        }

        if (onlyIfDropping && !dropping)
        {
            return null;
        }

        var still = new byte[length];
        "RIFF"u8.CopyTo(still);
        BinaryPrimitives.WriteUInt32LittleEndian(still.AsSpan(4), (uint)(still.Length - 8));
        "WEBPVP8X"u8.CopyTo(still.AsSpan(8));
        BinaryPrimitives.WriteUInt32LittleEndian(still.AsSpan(16), Vp8xBytes);
        still[20] = flags;
        canvas.CopyTo(still.AsSpan(24));
        var at = HeaderBytes;
        foreach (var chunk in new WebpChunks(chunks, start))
        {
            if (chunk.HoldsPixels)
            {
                // The declared size is kept: a bitstream cut short stays cut short, for the decoder to refuse.
                chunk.Type.CopyTo(still.AsSpan(at));
                BinaryPrimitives.WriteUInt32LittleEndian(still.AsSpan(at + 4), chunk.Size);
                chunk.Data.CopyTo(still.AsSpan(at + WebpChunks.HeaderBytes));
                at += WebpChunks.HeaderBytes + chunk.Data.Length + (chunk.Data.Length & 1);
            }
        }

        return still;
    }
}
