using ImageClassifier.Failures;
using ImageClassifier.Imaging;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SkiaSharp;

namespace ImageClassifier.Tests.Imaging;

/// <summary>
/// A WebP reaches Skia as a still and nothing else: its ICC profile, EXIF, XMP and unknown chunks
/// are dropped before the decoder, so none is parsed, copied or applied, and only the EXIF
/// orientation, read from the original, is used.
/// </summary>
public sealed class WebpMetadataTests
{
    private const int Width = 7;
    private const int Height = 5;

    private static readonly SkiaImageLoader Loader = new(Options.Create(new ImagingOptions()));

    [Fact]
    public void An_icc_profile_is_neither_shown_to_the_decoder_nor_applied()
    {
        var plain = SkiaLossless(colorSpace: null);
        var profiled = SkiaLossless(SKColorSpace.CreateRgb(SKColorSpaceTransferFn.Linear, SKColorSpaceXyz.DisplayP3));
        Assert.Contains("ICCP", HandMadeExtendedWebp.ChunkTypes(profiled));

        var header = Loader.Identify(profiled);
        using var decoded = Loader.Load(header, DecodedImages.NoDeadline);
        using var image = decoded.ToRgb();

        Assert.DoesNotContain("ICCP", HandMadeExtendedWebp.ChunkTypes(header.Content.Span));
        Assert.Equal(DecodedPixels(plain), Pixels(image));
        Assert.Equal(new Rgb24(30, 40, 3), image[3, 4]);
    }

    [Theory]
    [InlineData("ICCP")]
    [InlineData("EXIF")]
    [InlineData("XMP ")]
    [InlineData("junk")]
    public void Every_chunk_but_the_pixels_is_dropped_and_its_flag_cleared(string fourCc)
    {
        var webp = HandMadeExtendedWebp.With(Lossless(), Width, Height, (fourCc, new byte[100]));

        var content = Loader.Identify(webp).Content.Span;

        Assert.Equal(["VP8X", "VP8L"], HandMadeExtendedWebp.ChunkTypes(content));
        Assert.Equal(0, content[20]);
    }

    [Fact]
    public void A_large_xmp_chunk_never_reaches_the_decoder_and_the_image_decodes_the_same()
    {
        var plain = Lossless();
        var xmp = new byte[5 * 1024 * 1024];
        "<x:xmpmeta"u8.CopyTo(xmp);
        var webp = HandMadeExtendedWebp.With(plain, Width, Height, ("XMP ", xmp));

        AssertDroppedToItsPixels(plain, webp);
    }

    [Fact]
    public void An_alpha_chunk_and_its_flag_are_kept()
    {
        using var source = new Image<Rgba32>(Width, Height, new Rgba32(255, 0, 0, 128));
        var lossy = Encode(source, WebpFileFormatType.Lossy);
        Assert.Equal(["VP8X", "ALPH", "VP8 "], HandMadeExtendedWebp.ChunkTypes(lossy));
        var webp = HandMadeExtendedWebp.With(lossy, Width, Height, ("XMP ", new byte[100]));

        var header = Loader.Identify(webp);
        using var decoded = Loader.Load(header, DecodedImages.NoDeadline);
        using var image = decoded.ToRgb();

        Assert.Equal(["VP8X", "ALPH", "VP8 "], HandMadeExtendedWebp.ChunkTypes(header.Content.Span));
        Assert.Equal(0x10, header.Content.Span[20]);
        Assert.Equal(DecodedPixels(lossy), Pixels(image));
    }

    [Fact]
    public void The_exif_orientation_of_a_still_is_applied_though_its_exif_chunk_is_dropped()
    {
        using var source = Marked();
        source.Metadata.ExifProfile = new ExifProfile();
        source.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);
        var webp = Encode(source, WebpFileFormatType.Lossless);
        Assert.Contains("EXIF", HandMadeExtendedWebp.ChunkTypes(webp));

        var header = Loader.Identify(webp);
        using var decoded = Loader.Load(header, DecodedImages.NoDeadline);
        using var image = decoded.ToRgb();

        Assert.DoesNotContain("EXIF", HandMadeExtendedWebp.ChunkTypes(header.Content.Span));
        AssertTurnedClockwise(image);
    }

    [Fact]
    public void The_exif_orientation_of_an_animation_is_applied_to_its_first_frame()
    {
        var exif = new ExifProfile();
        exif.SetValue(ExifTag.Orientation, (ushort)6);
        var animation = HandMadeAnimatedWebp.WithFrames(WebpFileFormatType.Lossless, new Rgba32(255, 0, 0), new Rgba32(0, 0, 255));
        var webp = HandMadeExtendedWebp.Appending(animation, "EXIF", exif.ToByteArray(), flag: 0x08);

        var header = Loader.Identify(webp);

        Assert.Equal(6, header.Facts.Orientation);
    }

    [Theory]
    [InlineData(WebpFileFormatType.Lossless, false)]
    [InlineData(WebpFileFormatType.Lossy, false)]
    [InlineData(WebpFileFormatType.Lossy, true)]
    public void A_webp_with_nothing_to_drop_is_given_to_the_decoder_as_it_is(WebpFileFormatType format, bool transparent)
    {
        using var source = new Image<Rgba32>(Width, Height, new Rgba32(255, 0, 0, transparent ? (byte)128 : (byte)255));
        var webp = Encode(source, format);

        var header = Loader.Identify(webp);

        Assert.True(header.Content.Span == webp, "the content is a copy");
    }

    [Theory]
    [InlineData(1_000u)]
    [InlineData(0xFFFF_FFF0u)]
    [InlineData(0xFFFF_FFF8u)]
    [InlineData(uint.MaxValue)]
    public void A_metadata_chunk_declaring_more_than_the_file_holds_is_dropped(uint size)
    {
        var plain = Lossless();
        var webp = HandMadeExtendedWebp.Declaring(HandMadeExtendedWebp.With(plain, Width, Height, ("XMP ", new byte[100])), "XMP ", size);

        AssertDroppedToItsPixels(plain, webp);
    }

    [Theory]
    [InlineData("ICCP", 0xFFFF_FFF0u)]
    [InlineData("ICCP", 0xFFFF_FFF8u)]
    [InlineData("ICCP", uint.MaxValue)]
    [InlineData("VP8L", 1_000u)]
    [InlineData("VP8L", 0xFFFF_FFF0u)]
    public void A_chunk_declaring_more_than_the_file_holds_before_or_in_the_pixels_is_refused(string fourCc, uint size)
    {
        var webp = HandMadeExtendedWebp.Declaring(HandMadeExtendedWebp.With(Lossless(), Width, Height, ("ICCP", new byte[100]), ("XMP ", new byte[100])), fourCc, size);

        var failure = Assert.Throws<ClassificationException>(() => Loader.LoadRgb(webp));

        Assert.Equal(Problems.ImageCorrupt, failure.Type);
    }

    /// <summary><paramref name="webp"/> reaches the decoder as <paramref name="plain"/>'s pixel chunk behind a 30-byte extended header (the plain file's is 12), and decodes to its pixels.</summary>
    private static void AssertDroppedToItsPixels(byte[] plain, byte[] webp)
    {
        var header = Loader.Identify(webp);
        using var decoded = Loader.Load(header, DecodedImages.NoDeadline);
        using var image = decoded.ToRgb();

        Assert.Equal(plain.Length + 18, header.Content.Length);
        Assert.Equal(DecodedPixels(plain), Pixels(image));
    }

    /// <summary>The 7 x 5 gradient of the loader's tests, lossless, without a VP8X header.</summary>
    private static byte[] Lossless()
    {
        using var image = new Image<Rgba32>(Width, Height);
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                image[x, y] = new Rgba32((byte)(10 * x), (byte)(10 * y), (byte)x);
            }
        }

        return Encode(image, WebpFileFormatType.Lossless);
    }

    /// <summary>The same gradient encoded by Skia, which writes a colour space other than sRGB as an ICCP chunk.</summary>
    private static byte[] SkiaLossless(SKColorSpace? colorSpace)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Unpremul, colorSpace));
        var pixels = bitmap.GetPixelSpan();
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                var at = 4 * ((y * Width) + x);
                (pixels[at], pixels[at + 1], pixels[at + 2], pixels[at + 3]) = ((byte)(10 * x), (byte)(10 * y), (byte)x, 255);
            }
        }

        using var encoded = bitmap.PeekPixels().Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossless, 100))
            ?? throw new InvalidOperationException("Skia encoded no WebP.");
        return encoded.ToArray();
    }

    /// <summary>64 x 32, blue, with a red square in its top-left corner.</summary>
    private static Image<Rgb24> Marked()
    {
        var image = new Image<Rgb24>(64, 32, new Rgb24(0, 0, 255));
        Paint.Rectangle(image, new Rectangle(0, 0, 16, 16), new Rgb24(255, 0, 0));
        return image;
    }

    /// <summary>Turned 90° clockwise, the marked picture's top-left corner is top-right and its width its height.</summary>
    private static void AssertTurnedClockwise(Image<Rgb24> image)
    {
        Assert.Equal((32, 64), (image.Width, image.Height));
        Assert.Equal(new Rgb24(255, 0, 0), image[24, 8]);
        Assert.Equal(new Rgb24(0, 0, 255), image[8, 8]);
    }

    private static byte[] Encode<TPixel>(Image<TPixel> image, WebpFileFormatType format)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        using var stream = new MemoryStream();
        image.SaveAsWebp(stream, new WebpEncoder { FileFormat = format });
        return stream.ToArray();
    }

    private static Rgb24[] DecodedPixels(byte[] webp)
    {
        using var image = Loader.LoadRgb(webp);
        return Pixels(image);
    }

    private static Rgb24[] Pixels(Image<Rgb24> image)
    {
        var pixels = new Rgb24[image.Width * image.Height];
        image.CopyPixelDataTo(pixels);
        return pixels;
    }
}
