using ImageClassifier.Failures;
using ImageClassifier.Imaging;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace ImageClassifier.Tests.Imaging;

public class SkiaImageLoaderTests
{
    private static readonly Rgb24 Red = new(255, 0, 0);
    private static readonly Rgb24 Blue = new(0, 0, 255);
    private static readonly Rgb24 White = new(255, 255, 255);

    [Fact]
    public void Png_is_decoded_pixel_for_pixel()
    {
        using var image = Load(EncodeGradient(7, 5, (i, s) => i.SaveAsPng(s)));

        Assert.Equal((7, 5), (image.Width, image.Height));
        Assert.Equal(new Rgb24(30, 40, 3), image[3, 4]);
    }

    [Fact]
    public void Bmp_is_decoded_pixel_for_pixel()
    {
        using var image = Load(EncodeGradient(7, 5, (i, s) => i.SaveAsBmp(s)));

        Assert.Equal((7, 5), (image.Width, image.Height));
        Assert.Equal(new Rgb24(30, 40, 3), image[3, 4]);
    }

    [Fact]
    public void Lossless_webp_is_decoded_pixel_for_pixel()
    {
        var bytes = EncodeGradient(7, 5, (i, s) => i.SaveAsWebp(s, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless }));

        using var image = Load(bytes);

        Assert.Equal((7, 5), (image.Width, image.Height));
        Assert.Equal(new Rgb24(30, 40, 3), image[3, 4]);
    }

    [Fact]
    public void Jpeg_is_decoded_to_about_its_colours()
    {
        using var source = new Image<Rgb24>(32, 16, Red);
        Paint.Rectangle(source, new Rectangle(16, 0, 16, 16), Blue);

        using var image = Load(Encode(source, (i, s) => i.SaveAsJpeg(s)));

        Assert.Equal((32, 16), (image.Width, image.Height));
        AssertClose(Red, image[4, 8]);
        AssertClose(Blue, image[28, 8]);
    }

    [Fact]
    public void Only_the_first_frame_of_an_animated_gif_is_used()
    {
        using var animation = new Image<Rgba32>(8, 8, Color.Red);
        using var second = new Image<Rgba32>(8, 8, Color.Blue);
        animation.Frames.AddFrame(second.Frames.RootFrame);

        using var image = Load(Encode(animation, (i, s) => i.SaveAsGif(s)));

        Assert.Single(image.Frames);
        Assert.Equal(Red, image[4, 4]);
    }

    [Fact]
    public void A_16_bit_png_is_decoded_to_its_8_bit_colours()
    {
        using var image = Load(EncodeGradient(7, 5, (i, s) => i.SaveAsPng(s, new PngEncoder { BitDepth = PngBitDepth.Bit16, ColorType = PngColorType.Rgb })));

        Assert.Equal(new Rgb24(30, 40, 3), image[3, 4]);
    }

    [Fact]
    public void An_interlaced_png_is_decoded_pixel_for_pixel()
    {
        using var image = Load(EncodeGradient(7, 5, (i, s) => i.SaveAsPng(s, new PngEncoder { InterlaceMethod = PngInterlaceMode.Adam7 })));

        Assert.Equal((7, 5), (image.Width, image.Height));
        Assert.Equal(new Rgb24(30, 40, 3), image[3, 4]);
    }

    [Fact]
    public void A_grey_jpeg_is_decoded_to_equal_channels()
    {
        using var source = new Image<Rgb24>(16, 16, new Rgb24(200, 200, 200));

        using var image = Load(Encode(source, (i, s) => i.SaveAsJpeg(s, new JpegEncoder { ColorType = JpegColorType.Luminance })));

        var pixel = image[8, 8];
        Assert.Equal(pixel.R, pixel.G);
        Assert.Equal(pixel.G, pixel.B);
        AssertClose(new Rgb24(200, 200, 200), pixel, tolerance: 3);
    }

    [Fact]
    public void An_adobe_cmyk_jpeg_is_converted_to_rgb()
    {
        // Every sample 128 in Adobe's inverted CMYK: each channel is C x K / 255 = 64.
        using var image = Load(HandMadeJpeg.Cmyk(16, 16));

        AssertClose(new Rgb24(64, 64, 64), image[8, 8], tolerance: 2);
    }

    [Fact]
    public void Exif_orientation_6_is_applied()
    {
        // Orientation 6: the stored picture must be turned 90° clockwise to be seen upright, so
        // its top-left corner ends up top-right and its width becomes its height.
        using var source = new Image<Rgb24>(64, 32, Blue);
        Paint.Rectangle(source, new Rectangle(0, 0, 16, 16), Red);
        source.Metadata.ExifProfile = new ExifProfile();
        source.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);

        using var image = Load(Encode(source, (i, s) => i.SaveAsJpeg(s)));

        Assert.Equal((32, 64), (image.Width, image.Height));
        AssertClose(Red, image[24, 8]);
        AssertClose(Blue, image[8, 8]);
    }

    [Fact]
    public void Transparency_is_flattened_onto_white()
    {
        using var source = new Image<Rgba32>(3, 1);
        source[0, 0] = new Rgba32(0, 0, 0, 0);
        source[1, 0] = new Rgba32(0, 0, 0, 128);
        source[2, 0] = new Rgba32(255, 0, 0, 255);

        using var image = Load(Encode(source, (i, s) => i.SaveAsPng(s)));

        Assert.Equal(White, image[0, 0]);
        AssertClose(new Rgb24(127, 127, 127), image[1, 0], tolerance: 1);
        Assert.Equal(Red, image[2, 0]);
    }

    [Fact]
    public void A_transparent_gif_pixel_that_the_decoder_never_writes_reads_as_white()
    {
        using var source = new Image<Rgba32>(2, 1);
        source[0, 0] = new Rgba32(0, 0, 0, 0);
        source[1, 0] = new Rgba32(255, 0, 0, 255);

        using var image = Load(Encode(source, (i, s) => i.SaveAsGif(s)));

        Assert.Equal(White, image[0, 0]);
        Assert.Equal(Red, image[1, 0]);
    }

    [Fact]
    public void A_colour_key_in_an_rgb_png_is_flattened_onto_white()
    {
        using var source = new Image<Rgb24>(2, 1);
        source[0, 0] = new Rgb24(0, 255, 0);
        source[1, 0] = Red;
        var rgb = Encode(source, (i, s) => i.SaveAsPng(s, new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit8 }));

        // tRNS for an RGB image: the one colour (16-bit samples) that is fully transparent.
        using var image = Load(HandMadePng.WithChunkAfterHeader(rgb, "tRNS", [0, 0, 0, 255, 0, 0]));

        Assert.Equal(White, image[0, 0]);
        Assert.Equal(Red, image[1, 0]);
    }

    [Theory]
    [InlineData(PngColorType.Rgb)]
    [InlineData(PngColorType.Grayscale)]
    [InlineData(PngColorType.RgbWithAlpha)]
    [InlineData(PngColorType.Palette)]
    public void Png_of_every_colour_type_keeps_its_opaque_pixels(PngColorType colorType)
    {
        using var source = new Image<Rgb24>(2, 1);
        source[0, 0] = White;
        source[1, 0] = new Rgb24(0, 0, 0);

        using var image = Load(Encode(source, (i, s) => i.SaveAsPng(s, new PngEncoder { ColorType = colorType })));

        Assert.Equal(White, image[0, 0]);
        Assert.Equal(new Rgb24(0, 0, 0), image[1, 0]);
    }

    [Fact]
    public void A_truncated_jpeg_is_unusable()
    {
        var failure = Assert.Throws<ClassificationException>(() => Load(TestImages.Read("truncated.jpg")));

        Assert.Equal(Problems.ImageCorrupt, failure.Type);
    }

    [Fact]
    public void A_png_with_damaged_pixel_data_is_corrupt()
    {
        var failure = Assert.Throws<ClassificationException>(() => Load(HandMadePng.WithDamagedPixelData(16, 16)));

        Assert.Equal(Problems.ImageCorrupt, failure.Type);
    }

    [Fact]
    public void Random_bytes_are_not_an_image()
    {
        var bytes = new byte[4096];
        new Random(42).NextBytes(bytes);

        var failure = Assert.Throws<ClassificationException>(() => Load(bytes));

        Assert.Equal(Problems.NotAnImage, failure.Type);
    }

    [Fact]
    public void No_bytes_are_not_an_image()
    {
        var failure = Assert.Throws<ClassificationException>(() => Load(ReadOnlyMemory<byte>.Empty));

        Assert.Equal(Problems.NotAnImage, failure.Type);
    }

    [Fact]
    public void A_format_that_is_not_registered_and_has_no_signature_is_not_an_image()
    {
        var failure = Assert.Throws<ClassificationException>(() => Load(EncodeGradient(4, 4, (i, s) => i.SaveAsTga(s))));

        Assert.Equal(Problems.NotAnImage, failure.Type);
    }

    [Theory]
    [InlineData(20_000u, 20_000u)]
    [InlineData(1u, 500_000_000u)]
    public void A_header_declaring_too_many_pixels_is_refused_before_decoding(uint width, uint height)
    {
        var failure = Assert.Throws<ClassificationException>(() => Load(HandMadePng.WithHeader(width, height)));

        Assert.Equal(Problems.ImageTooManyPixels, failure.Type);
        Assert.Null(failure.InnerException);
    }

    [Fact]
    public void The_configured_pixel_limit_is_inclusive()
    {
        var png = EncodeGradient(10, 10, (i, s) => i.SaveAsPng(s));

        using var atTheLimit = Load(png, maxPixels: 100);
        var failure = Assert.Throws<ClassificationException>(() => Load(png, maxPixels: 99));

        Assert.Equal(10, atTheLimit.Width);
        Assert.Equal(Problems.ImageTooManyPixels, failure.Type);
    }

    [Fact]
    public void Bytes_inside_a_larger_buffer_are_read_from_their_offset()
    {
        var png = EncodeGradient(7, 5, (i, s) => i.SaveAsPng(s));
        var padded = new byte[png.Length + 20];
        png.CopyTo(padded, 10);

        using var image = Load(padded.AsMemory(10, png.Length));

        Assert.Equal(new Rgb24(30, 40, 3), image[3, 4]);
    }

    [Fact]
    public void A_jpeg_read_in_place_decodes_to_the_pixels_of_its_copy_without_a_comment()
    {
        // With nothing hidden the decoder reads the request's own bytes, here from an offset in a
        // larger buffer; a comment segment (hidden) makes it read a copy of the rest instead.
        var jpeg = EncodeGradient(24, 16, (i, s) => i.SaveAsJpeg(s, new JpegEncoder { Quality = 95 }));
        var padded = new byte[jpeg.Length + 20];
        jpeg.CopyTo(padded, 10);
        byte[] comment = [0xFF, 0xFE, 0x00, 0x07, .. "hello"u8];
        byte[] commented = [.. jpeg.AsSpan(0, 2), .. comment, .. jpeg.AsSpan(2)];

        using var inPlace = Load(padded.AsMemory(10, jpeg.Length));
        using var copied = Load(commented);

        for (var y = 0; y < 16; y++)
        {
            for (var x = 0; x < 24; x++)
            {
                Assert.Equal(copied[x, y], inPlace[x, y]);
            }
        }

        AssertClose(new Rgb24(150, 100, 15), inPlace[15, 10]);
    }

    private static Image<Rgb24> Load(ReadOnlyMemory<byte> bytes, int maxPixels = 40_000_000) =>
        new SkiaImageLoader(Options.Create(new ImagingOptions { MaxImagePixels = maxPixels })).LoadRgb(bytes);

    /// <summary>Pixel (x, y) is (10x, 10y, x): every pixel different.</summary>
    private static Image<Rgb24> Gradient(int width, int height)
    {
        var image = new Image<Rgb24>(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                image[x, y] = new Rgb24((byte)(10 * x), (byte)(10 * y), (byte)x);
            }
        }

        return image;
    }

    private static byte[] EncodeGradient(int width, int height, Action<Image<Rgb24>, Stream> save)
    {
        using var image = Gradient(width, height);
        return Encode(image, save);
    }

    private static byte[] Encode<TPixel>(Image<TPixel> image, Action<Image<TPixel>, Stream> save)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        using var stream = new MemoryStream();
        save(image, stream);
        return stream.ToArray();
    }

    private static void AssertClose(Rgb24 expected, Rgb24 actual, int tolerance = 12)
    {
        Assert.True(
            Math.Abs(expected.R - actual.R) <= tolerance
            && Math.Abs(expected.G - actual.G) <= tolerance
            && Math.Abs(expected.B - actual.B) <= tolerance,
            $"expected about {expected}, got {actual}");
    }
}
