using ImageClassifier.Imaging;
using ImageClassifier.Tests.Harness;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace ImageClassifier.Tests.Imaging;

/// <summary>
/// What the header says decoding will cost covers what ImageSharp's allocator actually hands out
/// while decoding (counted), and is not far above it: the budget is charged the truth.
/// </summary>
public sealed class DecodeCostTests
{
    public static TheoryData<string> Images => ["jpeg", "progressive-jpeg", "turned-jpeg", "png-rgba", "png-rgb", "gif", "bmp", "webp-lossless", "webp-lossy"];

    [Theory]
    [MemberData(nameof(Images))]
    public void The_charge_covers_the_decoders_allocations_and_is_close_to_them(string kind)
    {
        var allocator = new CountingAllocator();
        var loader = new ImageSharpLoader(Options.Create(new ImagingOptions()), allocator);
        var bytes = Make(kind);

        var header = loader.Identify(bytes);
        allocator.Reset();
        using (loader.Load(header))
        {
        }

        var pixels = (long)header.Width * header.Height;
        Assert.True(header.DecodeBytes >= allocator.Peak, $"{kind}: charged {header.DecodeBytes}, decoding took {allocator.Peak}");
        Assert.True(header.DecodeBytes <= (allocator.Peak * 1.6) + (2 * 1024 * 1024),
            $"{kind}: charged {header.DecodeBytes} ({header.DecodeBytes / (double)pixels:F1} bytes a pixel) for {allocator.Peak} ({allocator.Peak / (double)pixels:F1})");
    }

    [Fact]
    public void A_progressive_jpeg_is_charged_more_than_a_baseline_one_of_the_same_size()
    {
        var loader = new ImageSharpLoader(Options.Create(new ImagingOptions()));

        var baseline = loader.Identify(TestImages.Read("coffee-baseline.jpg"));
        var progressive = loader.Identify(TestImages.Read("coffee-progressive.jpg"));

        Assert.Equal((baseline.Width, baseline.Height), (progressive.Width, progressive.Height));
        Assert.True(progressive.DecodeBytes > 2 * baseline.DecodeBytes, $"{progressive.DecodeBytes} against {baseline.DecodeBytes}");
    }

    private static byte[] Make(string kind) => kind switch
    {
        "jpeg" => TestImages.Read("coffee-baseline.jpg"),
        "progressive-jpeg" => TestImages.Read("coffee-progressive.jpg"),
        "turned-jpeg" => Encode(Noise<Rgb24>(), (image, stream) =>
        {
            image.Metadata.ExifProfile = new ExifProfile();
            image.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);
            image.SaveAsJpeg(stream);
        }),
        "png-rgba" => Encode(Noise<Rgba32>(), (image, stream) => image.SaveAsPng(stream)),
        "png-rgb" => Encode(Noise<Rgb24>(), (image, stream) => image.SaveAsPng(stream)),
        "gif" => Encode(Noise<Rgba32>(), (image, stream) => image.SaveAsGif(stream)),
        "bmp" => Encode(Noise<Rgba32>(), (image, stream) => image.SaveAsBmp(stream, new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel32 })),
        "webp-lossless" => Encode(Noise<Rgba32>(), (image, stream) => image.SaveAsWebp(stream, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless })),
        "webp-lossy" => Encode(Noise<Rgba32>(), (image, stream) => image.SaveAsWebp(stream, new WebpEncoder { FileFormat = WebpFileFormatType.Lossy })),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>A 1200×800 image of varied pixels (with varied alpha where the type has it), so no decoder takes a shortcut.</summary>
    private static Image<TPixel> Noise<TPixel>()
        where TPixel : unmanaged, IPixel<TPixel>
    {
        var image = new Image<TPixel>(1200, 800);
        var random = new Random(7);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                foreach (ref var pixel in rows.GetRowSpan(y))
                {
                    pixel.FromRgba32(new Rgba32((byte)random.Next(256), (byte)(y / 4), (byte)random.Next(256), (byte)random.Next(128, 256)));
                }
            }
        });
        return image;
    }

    private static byte[] Encode<TPixel>(Image<TPixel> image, Action<Image<TPixel>, Stream> save)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        using (image)
        using (var stream = new MemoryStream())
        {
            save(image, stream);
            return stream.ToArray();
        }
    }
}
