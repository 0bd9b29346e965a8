using ImageClassifier.Failures;
using ImageClassifier.Imaging;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace ImageClassifier.Tests.Imaging;

/// <summary>ImageSharp 2.x refuses animated WebP; the loader decodes its first frame instead.</summary>
public class AnimatedWebpTests
{
    private static readonly Rgba32 Red = new(255, 0, 0);
    private static readonly Rgba32 Blue = new(0, 0, 255);

    [Theory]
    [InlineData(WebpFileFormatType.Lossless)]
    [InlineData(WebpFileFormatType.Lossy)]
    public void Only_the_first_frame_of_an_animated_webp_is_decoded(WebpFileFormatType format)
    {
        using var image = Loader().LoadRgb(HandMadeAnimatedWebp.WithFrames(format, Red, Blue, Blue));

        Assert.Equal((8, 8), (image.Width, image.Height));
        Assert.InRange(image[4, 4].R, 200, 255);
        Assert.InRange(image[4, 4].B, 0, 60);
    }

    [Fact]
    public void A_first_frame_with_transparency_is_decoded()
    {
        using var image = Loader().LoadRgb(HandMadeAnimatedWebp.WithFrames(WebpFileFormatType.Lossy, new Rgba32(0, 0, 255, 128), Red));

        Assert.Equal((8, 8), (image.Width, image.Height));
    }

    [Theory]
    [InlineData(24)]
    [InlineData(40)]
    [InlineData(60)]
    public void A_truncated_animated_webp_is_refused_as_an_unusable_image(int length)
    {
        var truncated = HandMadeAnimatedWebp.WithFrames(WebpFileFormatType.Lossless, Red, Blue)[..length];

        var failure = Assert.Throws<ClassificationException>(() => Loader().LoadRgb(truncated));

        Assert.Equal(422, failure.Type.Status);
    }

    private static SkiaImageLoader Loader() => new(Options.Create(new ImagingOptions()));
}
