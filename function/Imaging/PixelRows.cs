using System.Buffers;
using System.Runtime.InteropServices;
using SkiaSharp;

namespace ImageClassifier.Imaging;

/// <summary>
/// The row a codec decodes into, and the sums of the box each output pixel averages: a shrink by a
/// whole number as rows arrive, so a large image is never held whole (libvips' shrink does the
/// same). Transparent pixels are flattened onto white before they are added, so the average is
/// that of the flattened image.
/// </summary>
internal sealed class PixelRows : IDisposable
{
    private readonly int width;
    private readonly int outputWidth;
    private readonly int shrink;
    private readonly byte[] row;
    private readonly uint[] sums;
    private GCHandle pinned;

    public PixelRows(int width, int outputWidth, int shrink)
    {
        this.width = width;
        this.outputWidth = outputWidth;
        this.shrink = shrink;
        row = ArrayPool<byte>.Shared.Rent(width * DecodedImage.BytesPerPixel);
        sums = ArrayPool<uint>.Shared.Rent(outputWidth * 3);
        sums.AsSpan(0, outputWidth * 3).Clear();
        pinned = GCHandle.Alloc(row, GCHandleType.Pinned);
    }

    /// <summary>The codec's next row into the row buffer; the number of rows it decoded.</summary>
    public int Decode(SKCodec codec) => codec.GetScanlines(pinned.AddrOfPinnedObject(), 1, width * DecodedImage.BytesPerPixel);

    /// <summary>The row buffer's pixels added into their boxes' sums.</summary>
    public void Add(bool opaque)
    {
        var pixels = row.AsSpan(0, width * DecodedImage.BytesPerPixel);
        if (!opaque)
        {
            FlattenOntoWhite(pixels);
        }

        var totals = sums.AsSpan(0, outputWidth * 3);
        for (int x = 0, at = 0; x < width; x++, at += DecodedImage.BytesPerPixel)
        {
            var box = x / shrink * 3;
            totals[box] += pixels[at];
            totals[box + 1] += pixels[at + 1];
            totals[box + 2] += pixels[at + 2];
        }
    }

    /// <summary>The boxes' averages over <paramref name="rows"/> rows written as one output row; the sums start again.</summary>
    public void WriteAverage(Span<byte> output, int rows)
    {
        var totals = sums.AsSpan(0, outputWidth * 3);
        for (var x = 0; x < outputWidth; x++)
        {
            var columns = Math.Min(shrink, width - (x * shrink));
            var count = (uint)(columns * rows);
            var at = x * DecodedImage.BytesPerPixel;
            output[at] = (byte)((totals[x * 3] + (count / 2)) / count);
            output[at + 1] = (byte)((totals[(x * 3) + 1] + (count / 2)) / count);
            output[at + 2] = (byte)((totals[(x * 3) + 2] + (count / 2)) / count);
            output[at + 3] = byte.MaxValue;
        }

        totals.Clear();
    }

    /// <summary>Unpremultiplied RGBA flattened onto white, in place: c × a + 255 × (1 − a).</summary>
    public static void FlattenOntoWhite(Span<byte> rgba)
    {
        for (var at = 0; at + 3 < rgba.Length; at += DecodedImage.BytesPerPixel)
        {
            uint alpha = rgba[at + 3];
            if (alpha == byte.MaxValue)
            {
                continue;
            }

            var white = (byte.MaxValue - alpha) * byte.MaxValue;
            rgba[at] = (byte)(((rgba[at] * alpha) + white + 127) / 255);
            rgba[at + 1] = (byte)(((rgba[at + 1] * alpha) + white + 127) / 255);
            rgba[at + 2] = (byte)(((rgba[at + 2] * alpha) + white + 127) / 255);
            rgba[at + 3] = byte.MaxValue;
        }
    }

    public void Dispose()
    {
        if (pinned.IsAllocated)
        {
            pinned.Free();
            ArrayPool<byte>.Shared.Return(row);
            ArrayPool<uint>.Shared.Return(sums);
        }
    }
}
