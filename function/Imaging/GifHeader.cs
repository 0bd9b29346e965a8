using System.Buffers.Binary;

namespace ImageClassifier.Imaging;

/// <summary>
/// A GIF's logical screen, the canvas its first frame is decoded onto. Only the first frame is
/// decoded; extensions (comments, application data) are skipped by the decoder without being kept.
/// </summary>
internal static class GifHeader
{
    public static ImageFacts Read(ReadOnlySpan<byte> gif)
    {
        if (gif.Length < 13)
        {
            throw ImageFailures.Corrupt("The GIF ends inside its header.");
        }

        int width = BinaryPrimitives.ReadUInt16LittleEndian(gif[6..]);
        int height = BinaryPrimitives.ReadUInt16LittleEndian(gif[8..]);
        if (width == 0 || height == 0)
        {
            throw ImageFailures.NoPixels();
        }

        // The frame's palette indices, one byte a pixel of the canvas at most.
        return new ImageFacts(ImageFormat.Gif, width, height) { WorkingBytes = (long)width * height };
    }
}
