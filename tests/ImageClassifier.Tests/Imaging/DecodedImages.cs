using ImageClassifier.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ImageClassifier.Tests.Imaging;

/// <summary>What a loader decodes, as plain RGB, for tests that look at pixels.</summary>
internal static class DecodedImages
{
    /// <summary>A deadline no test image reaches.</summary>
    public static DecodeDeadline NoDeadline => new(TimeProvider.System, TimeSpan.FromMinutes(1), CancellationToken.None);

    /// <summary>The header, planned for a resize that asks for every pixel.</summary>
    public static ImageHeader Identify(this IImageLoader loader, ReadOnlyMemory<byte> bytes) =>
        loader.Identify(bytes, static (width, height) => (width, height));

    /// <summary>Decoded as planned, the whole image.</summary>
    public static DecodedImage Load(this IImageLoader loader, ImageHeader header, DecodeDeadline deadline) =>
        loader.Load(header, PixelRegion.Whole(header.Scaled.Width, header.Scaled.Height), deadline);

    /// <summary>Decoded at full size (the resize asks for every pixel), as RGB.</summary>
    public static Image<Rgb24> LoadRgb(this IImageLoader loader, ReadOnlyMemory<byte> bytes)
    {
        using var decoded = loader.Load(loader.Identify(bytes), NoDeadline);
        return decoded.ToRgb();
    }

    public static Image<Rgb24> ToRgb(this DecodedImage decoded)
    {
        var image = new Image<Rgb24>(decoded.Width, decoded.Height);
        for (var y = 0; y < decoded.Height; y++)
        {
            var row = decoded.Row(y);
            for (var x = 0; x < decoded.Width; x++)
            {
                var at = x * DecodedImage.BytesPerPixel;
                image[x, y] = new Rgb24(row[at], row[at + 1], row[at + 2]);
            }
        }

        return image;
    }
}
