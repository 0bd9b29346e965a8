using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ImageClassifier.Imaging;

/// <summary>
/// Decodes with ImageSharp, in an order that spends nothing on a bad image: identify the format
/// and size from the header, refuse what is too large, and only then decode: opaque formats
/// straight to <see cref="Rgb24"/>, those that can carry alpha straight to
/// <see cref="RgbOverWhite"/>, flattened onto white as each row is decoded.
/// </summary>
internal sealed class ImageSharpLoader : IImageLoader
{
    private readonly int maxPixels;
    private readonly Configuration configuration;

    public ImageSharpLoader(IOptions<ImagingOptions> options)
        : this(options, DecoderConfiguration.Allocator(options.Value.MaxImagePixels))
    {
    }

    /// <summary>With another allocator, such as one that counts what decoding takes.</summary>
    internal ImageSharpLoader(IOptions<ImagingOptions> options, MemoryAllocator allocator)
    {
        maxPixels = options.Value.MaxImagePixels;
        configuration = DecoderConfiguration.Create(allocator);
    }

    public ImageHeader Identify(ReadOnlyMemory<byte> bytes)
    {
        if (UnsupportedFormats.Recognise(bytes.Span) is { } unsupported)
        {
            throw ImageFailures.UnsupportedFormat(unsupported);
        }

        var content = AnimatedWebp.FirstFrameOrSelf(bytes);
        IImageInfo? info;
        IImageFormat? format;
        try
        {
            using var stream = ReadOnlyStream(content);
            info = Image.Identify(configuration, stream, out format);
        }
        catch (Exception exception) when (IsDecoderFailure(exception))
        {
            throw ImageFailures.FromDecoder(exception);
        }

        if (info is null || format is null)
        {
            throw ImageFailures.NotAnImage();
        }

        if (info.Width <= 0 || info.Height <= 0)
        {
            throw ImageFailures.NoPixels();
        }

        if ((long)info.Width * info.Height > maxPixels)
        {
            throw ImageFailures.TooManyPixels(info.Width, info.Height, maxPixels);
        }

        long cost;
        try
        {
            // Reading the EXIF orientation parses the profile, which throws on a malformed one.
            cost = DecodeCost.Of(info, format, content.Span);
        }
        catch (Exception exception) when (IsDecoderFailure(exception))
        {
            throw ImageFailures.FromDecoder(exception);
        }

        return new ImageHeader(info.Width, info.Height, cost, content)
        {
            Opaque = IsOpaque(info, format),
        };
    }

    public Image Load(ImageHeader header)
    {
        Image? image = null;
        try
        {
            using var stream = ReadOnlyStream(header.Content);
            image = header.Opaque ? Image.Load<Rgb24>(configuration, stream) : Image.Load<RgbOverWhite>(configuration, stream);
            image.Mutate(x => x.AutoOrient());
            return image;
        }
        catch (Exception exception) when (IsDecoderFailure(exception))
        {
            image?.Dispose();
            throw ImageFailures.FromDecoder(exception);
        }
    }

    /// <summary>
    /// Formats and PNG colour types that cannot carry alpha decode to plain RGB, ImageSharp's
    /// fastest path (bench/README.md, "Held-out images").
    /// </summary>
    private static bool IsOpaque(IImageInfo info, IImageFormat format) =>
        format is JpegFormat
        || (format is PngFormat
            && info.Metadata.GetPngMetadata() is { ColorType: PngColorType.Rgb or PngColorType.Grayscale, HasTransparency: false });

    /// <summary>
    /// The decoder reads untrusted bytes and 2.x gets no more fixes, so whatever it throws on
    /// them is the image's fault, not the function's; only running out of memory is not.
    /// </summary>
    private static bool IsDecoderFailure(Exception exception) => exception is not OutOfMemoryException;

    private static MemoryStream ReadOnlyStream(ReadOnlyMemory<byte> bytes) =>
        MemoryMarshal.TryGetArray(bytes, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(bytes.ToArray(), writable: false);
}
