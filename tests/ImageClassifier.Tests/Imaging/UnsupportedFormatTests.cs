using ImageClassifier.Failures;
using ImageClassifier.Imaging;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Tests.Imaging;

/// <summary>Images in formats the function does not decode, made by real encoders, are 415 with the format named; other bytes stay 422.</summary>
public sealed class UnsupportedFormatTests
{
    public static TheoryData<string, string> Files => new()
    {
        { "chelsea.heic", "HEIC/HEIF" },
        { "chelsea.avif", "AVIF" },
        { "chelsea.tiff", "TIFF" },
        { "chelsea.jp2", "JPEG 2000" },
        { "chelsea.ico", "ICO" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void Is_refused_by_its_signature_with_the_format_and_the_accepted_ones_named(string file, string format)
    {
        var failure = Assert.Throws<ClassificationException>(() => Loader().Identify(TestImages.Read(file)));

        Assert.Equal(Problems.UnsupportedImageFormat, failure.Type);
        Assert.Equal(415, failure.Type.Status);
        Assert.Equal($"The image is {format}, a format the function does not decode; send JPEG, PNG, WebP, GIF or BMP.", failure.Message);
    }

    [Fact]
    public void A_jpeg_2000_codestream_without_its_box_is_recognised_too()
    {
        var failure = Assert.Throws<ClassificationException>(() => Loader().Identify(new byte[] { 0xFF, 0x4F, 0xFF, 0x51, 0, 0x2F, 0, 0 }));

        Assert.Equal(Problems.UnsupportedImageFormat, failure.Type);
    }

    [Fact]
    public void Bytes_that_are_no_image_at_all_stay_422_not_an_image()
    {
        var failure = Assert.Throws<ClassificationException>(() => Loader().Identify("not an image at all"u8.ToArray()));

        Assert.Equal(Problems.NotAnImage, failure.Type);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(11)]
    [InlineData(12)]
    public void A_body_of_an_ftyp_box_header_and_little_else_is_refused_not_a_crash(int length)
    {
        var bytes = new byte[length];
        "\0\0\0\x18ftyp"u8.CopyTo(bytes);
        "heic"u8[..Math.Min(4, length - 8)].CopyTo(bytes.AsSpan(8));

        var failure = Assert.Throws<ClassificationException>(() => Loader().Identify(bytes));

        Assert.True(failure.Type.Status is 415 or 422, failure.Type.Slug);
    }

    private static SkiaImageLoader Loader() => new(Options.Create(new ImagingOptions()));
}
