using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ImageClassifier.Imaging;

/// <summary>
/// Decodes with ImageSharp, in an order that spends nothing on a bad image: identify the format
/// and size from the header, refuse what is too large, and only then decode.
/// </summary>
internal sealed class ImageSharpLoader(IOptions<ImagingOptions> options) : IImageLoader
{
    private readonly int maxPixels = options.Value.MaxImagePixels;
    private readonly Configuration configuration = DecoderConfiguration.Create(options.Value.MaxImagePixels);

    public Image<Rgb24> Load(ReadOnlyMemory<byte> bytes)
    {
        using var stream = ReadOnlyStream(AnimatedWebp.FirstFrameOrSelf(bytes));
        var (info, format) = Identify(stream);
        stream.Position = 0;
        return Decode(stream, IsOpaque(info, format));
    }

    private (IImageInfo Info, IImageFormat Format) Identify(Stream stream)
    {
        IImageInfo? info;
        IImageFormat? format;
        try
        {
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

        return (info, format);
    }

    /// <summary>
    /// Formats and PNG colour types that cannot carry alpha decode straight to RGB: flattening
    /// onto white costs as much as decoding (bench/README.md, "Held-out images").
    /// </summary>
    private static bool IsOpaque(IImageInfo info, IImageFormat format) =>
        format is JpegFormat
        || (format is PngFormat
            && info.Metadata.GetPngMetadata() is { ColorType: PngColorType.Rgb or PngColorType.Grayscale, HasTransparency: false });

    private Image<Rgb24> Decode(Stream stream, bool opaque)
    {
        Image<Rgb24>? image = null;
        try
        {
            image = opaque ? Image.Load<Rgb24>(configuration, stream) : DecodeOntoWhite(stream);
            image.Mutate(x => x.AutoOrient());
            return image;
        }
        catch (Exception exception) when (IsDecoderFailure(exception))
        {
            image?.Dispose();
            throw ImageFailures.FromDecoder(exception);
        }
    }

    /// <summary>Transparent pixels keep whatever colour the encoder left in them; white is what a viewer shows.</summary>
    private Image<Rgb24> DecodeOntoWhite(Stream stream)
    {
        using var withAlpha = Image.Load<Rgba32>(configuration, stream);
        withAlpha.Mutate(x => x.BackgroundColor(Color.White));
        return withAlpha.CloneAs<Rgb24>();
    }

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
