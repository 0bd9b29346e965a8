using System.Buffers;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace ImageClassifier.Imaging;

/// <summary>
/// Decodes with Skia's codecs (libjpeg-turbo, libpng, libwebp, Wuffs' GIF, Skia's BMP), in an
/// order that spends nothing on a bad image: the format recognised by its signature and only the
/// five accepted ones ever handed to Skia; the header read in place and the decode planned and
/// charged from it; then, on a CPU work thread, the decode itself at the plan's reduced size (of a
/// JPEG, only the part the resize reads), a row at a time where the codec allows, each row
/// flattened onto white and box-shrunk as it arrives, with the deadline checked between rows and,
/// where the codec reads through a stream, on every read of the bytes (a JPEG in one scan is read
/// from memory instead, which is faster).
/// </summary>
internal sealed class SkiaImageLoader(IOptions<ImagingOptions> options) : IImageLoader
{
    /// <summary>Rows asked of the codec at a time, between deadline checks.</summary>
    private const int RowsPerCall = 16;

    private readonly int maxPixels = options.Value.MaxImagePixels;

    public ImageHeader Identify(ReadOnlyMemory<byte> bytes, Func<int, int, (int Width, int Height)> resizedSize)
    {
        ArgumentNullException.ThrowIfNull(resizedSize);
        var format = ImageFormats.Recognise(bytes.Span);
        var content = format == ImageFormat.Webp ? StillWebp.Of(bytes) : bytes;
        var facts = format switch
        {
            ImageFormat.Jpeg => JpegHeader.Read(content.Span),
            ImageFormat.Png => PngHeader.Read(content.Span),
            ImageFormat.Gif => GifHeader.Read(content.Span),
            ImageFormat.Bmp => BmpHeader.Read(content.Span),
            _ => WebpHeader.Read(content.Span, bytes.Span),
        };

        if ((long)facts.Width * facts.Height > maxPixels)
        {
            throw ImageFailures.TooManyPixels(facts.Width, facts.Height, maxPixels);
        }

        var (width, height) = facts.Upright;
        return new ImageHeader(facts, DecodePlan.For(facts, resizedSize(width, height)), content);
    }

    public DecodedImage Load(ImageHeader header, PixelRegion needed, DecodeDeadline deadline)
    {
        ArgumentNullException.ThrowIfNull(header);
        deadline.Check();
        using var input = new DecoderInput(header.Content, header.Hidden, deadline);
        var inPlace = header.Facts.ReadsFromMemory && header.Facts.Hidden.Count == 0;
        using var pinned = inPlace ? header.Content.Pin() : default;
        using var inMemory = inPlace ? InPlace(pinned, header.Content.Length) : header.Facts.ReadsFromMemory ? InMemory(input, deadline) : null;
        var created = SKCodecResult.InvalidInput;
        using var codec = inMemory is null ? SKCodec.Create(input, out created) : SKCodec.Create(inMemory);
        if (codec is null)
        {
            deadline.Check();
            throw ImageFailures.FromCodec(created);
        }

        var plan = header.Plan;
        var info = new SKImageInfo(plan.DecodeWidth, plan.DecodeHeight, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var opaque = codec.Info.AlphaType == SKAlphaType.Opaque;
        var stored = header.Facts.Scanlines
            ? ByRows(codec, info, header.Facts, plan, Decoded(header, needed), opaque, deadline)
            : Whole(codec, info, header.Facts, opaque, deadline);
        return Orientation.Apply(stored, header.Facts.Orientation);
    }

    /// <summary>
    /// The part of the stored image (after the shrink) to decode for the <paramref name="needed"/>
    /// part of the upright one. Only libjpeg-turbo gains from a part: it skips the inverse DCT and
    /// colour conversion of the columns outside it and of the rows above it, and stops after its
    /// last row; it decodes the part's edges with their neighbours' context, so the pixels are the
    /// whole decode's. Other decoders must inflate or read every row anyway, so they decode the whole.
    /// </summary>
    private static PixelRegion Decoded(ImageHeader header, PixelRegion needed)
    {
        var (width, height) = (header.Plan.Width, header.Plan.Height);
        return header.Facts.Format == ImageFormat.Jpeg
            ? Orientation.StoredRegion(header.Facts.Orientation, needed, width, height)
            : PixelRegion.Whole(width, height);
    }

    /// <summary>
    /// The bytes themselves, pinned until the codec is disposed: nothing in them is hidden, so a
    /// copy would cost a photo's size in page faults and memory for nothing.
    /// </summary>
    private static unsafe SKData InPlace(MemoryHandle pinned, int length) =>
        SKData.Create((IntPtr)pinned.Pointer, length)
        ?? throw new InsufficientMemoryException($"No memory to describe the {length} bytes of the image.");

    /// <summary>The shown bytes copied into one block of Skia's, which its decoder then reads in place.</summary>
    private static unsafe SKData InMemory(DecoderInput input, DecodeDeadline deadline)
    {
        var data = SKData.Create(input.Length);
        if (data is null || data.Data == IntPtr.Zero)
        {
            data?.Dispose();
            throw new InsufficientMemoryException($"No memory for the {input.Length} bytes of the image.");
        }

        try
        {
            var copied = input.ReadAtLeast(new Span<byte>((void*)data.Data, (int)input.Length), (int)input.Length, throwOnEndOfStream: false);
            deadline.Check();
            return copied == input.Length ? data : throw ImageFailures.Truncated();
        }
        catch
        {
            data.Dispose();
            throw;
        }
    }

    private static DecodedImage Whole(SKCodec codec, SKImageInfo info, ImageFacts facts, bool opaque, DecodeDeadline deadline)
    {
        var image = new DecodedImage(info.Width, info.Height, facts.Width, facts.Height);
        try
        {
            var result = codec.GetPixels(info, image.Address);
            deadline.Check();
            if (result != SKCodecResult.Success)
            {
                throw ImageFailures.FromCodec(result);
            }

            if (!opaque)
            {
                PixelRows.FlattenOntoWhite(image.Pixels);
            }

            return image;
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    private static DecodedImage ByRows(
        SKCodec codec, SKImageInfo info, ImageFacts facts, DecodePlan plan, PixelRegion region, bool opaque, DecodeDeadline deadline)
    {
        // The region in the decoder's rows and columns, before the shrink; only the columns are a
        // codec option (a part of every row), the rows above are skipped and those below not read.
        var shrink = plan.Shrink;
        var (left, top) = (region.Left * shrink, region.Top * shrink);
        var decoded = new PixelRegion(left, top, Math.Min(region.Right * shrink, info.Width) - left, Math.Min(region.Bottom * shrink, info.Height) - top);
        var columns = decoded.Width < info.Width ? new SKCodecOptions(new SKRectI(decoded.Left, 0, decoded.Right, info.Height)) : new SKCodecOptions();
        var started = codec.StartScanlineDecode(info, columns);
        if (started != SKCodecResult.Success)
        {
            deadline.Check();
            throw ImageFailures.FromCodec(started);
        }

        var image = new DecodedImage(region, plan.Width, plan.Height, facts.Width, facts.Height);
        try
        {
            Skip(codec, decoded.Top, deadline);
            if (shrink == 1 && codec.ScanlineOrder == SKCodecScanlineOrder.TopDown)
            {
                RowsInPlace(codec, image, deadline);
                if (!opaque)
                {
                    PixelRows.FlattenOntoWhite(image.Pixels);
                }
            }
            else
            {
                RowsShrunk(codec, decoded, image, shrink, opaque, deadline);
            }

            return image;
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    /// <summary>The first <paramref name="rows"/> rows passed over, a few at a time.</summary>
    private static void Skip(SKCodec codec, int rows, DecodeDeadline deadline)
    {
        for (var skipped = 0; skipped < rows; skipped += RowsPerCall)
        {
            deadline.Check();
            if (!codec.SkipScanlines(Math.Min(RowsPerCall, rows - skipped)))
            {
                deadline.Check();
                throw ImageFailures.Truncated();
            }
        }
    }

    /// <summary>Rows straight into the image, a few at a time.</summary>
    private static void RowsInPlace(SKCodec codec, DecodedImage image, DecodeDeadline deadline)
    {
        for (var y = 0; y < image.Height; y += RowsPerCall)
        {
            deadline.Check();
            var count = Math.Min(RowsPerCall, image.Height - y);
            if (codec.GetScanlines(image.Address + (y * image.Stride), count, image.Stride) != count)
            {
                deadline.Check();
                throw ImageFailures.Truncated();
            }
        }
    }

    /// <summary>
    /// Each decoded row of the <paramref name="decoded"/> part flattened and added into its box;
    /// a box's row is written out once its last row has come.
    /// </summary>
    private static void RowsShrunk(SKCodec codec, PixelRegion decoded, DecodedImage image, int shrink, bool opaque, DecodeDeadline deadline)
    {
        using var rows = new PixelRows(decoded.Width, image.Width, shrink);
        var box = -1;
        var rowsInBox = 0;
        for (var i = 0; i < decoded.Height; i++)
        {
            deadline.Check();
            var y = (codec.NextScanline / shrink) - image.Region.Top;
            if (y != box)
            {
                if (rowsInBox > 0)
                {
                    rows.WriteAverage(image.Row(box), rowsInBox);
                }

                box = y;
                rowsInBox = 0;
            }

            if (rows.Decode(codec) != 1)
            {
                deadline.Check();
                throw ImageFailures.Truncated();
            }

            rows.Add(opaque);
            rowsInBox++;
        }

        rows.WriteAverage(image.Row(box), rowsInBox);
    }
}
