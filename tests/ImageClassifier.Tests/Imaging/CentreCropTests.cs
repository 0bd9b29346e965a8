using ImageClassifier.Failures;
using ImageClassifier.Imaging;
using SixLabors.ImageSharp;

namespace ImageClassifier.Tests.Imaging;

public class CentreCropTests
{
    [Theory]
    // torchvision: int(256 * 500 / 375) = 341, round((341 - 224) / 2) = round(58.5) = 58.
    [InlineData(500, 375, 341, 256, 58, 16)]
    [InlineData(375, 500, 256, 341, 16, 58)]
    [InlineData(256, 256, 256, 256, 16, 16)]
    [InlineData(100, 50, 512, 256, 144, 16)]
    // int(256 * 225 / 224) = 257, round(16.5) = 16.
    [InlineData(225, 224, 257, 256, 16, 16)]
    [InlineData(227, 224, 259, 256, 18, 16)]
    [InlineData(100, 1, 25_600, 256, 12_688, 16)]
    public void The_shorter_side_becomes_256_and_the_window_its_centre(
        int width, int height, int resizedWidth, int resizedHeight, int left, int top)
    {
        var crop = CentreCrop.For(new Size(width, height), PreprocessingSpec.ImageNet);

        Assert.Equal(new CentreCrop(new Size(resizedWidth, resizedHeight), new Point(left, top)), crop);
    }

    [Fact]
    public void A_crop_sized_image_is_taken_as_it_is()
    {
        var crop = CentreCrop.For(new Size(224, 224), PreprocessingSpec.ImageNet);

        Assert.Equal(new CentreCrop(new Size(224, 224), Point.Empty), crop);
    }

    [Theory]
    [InlineData(101, 1)]
    [InlineData(3, 40_000)]
    public void A_side_over_100_times_the_other_is_refused(int width, int height)
    {
        var failure = Assert.Throws<ClassificationException>(() => CentreCrop.For(new Size(width, height), PreprocessingSpec.ImageNet));

        Assert.Equal(Problems.ImageTooElongated, failure.Type);
    }
}
