using ImageClassifier.Failures;
using ImageClassifier.Imaging;

namespace ImageClassifier.Tests.Imaging;

public class ResizeGeometryTests
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
    public void Crop_makes_the_shorter_side_256_and_the_window_its_centre(
        int width, int height, int resizedWidth, int resizedHeight, int left, int top)
    {
        var geometry = ResizeGeometry.For(width, height, PreprocessingSpec.ImageNet);

        Assert.Equal(new ResizeGeometry((resizedWidth, resizedHeight), (left, top), (0, 0), (224, 224)), geometry);
        Assert.False(geometry.Padded(PreprocessingSpec.ImageNet));
    }

    [Fact]
    public void Crop_takes_a_crop_sized_image_as_it_is()
    {
        var geometry = ResizeGeometry.For(224, 224, PreprocessingSpec.ImageNet);

        Assert.Equal(new ResizeGeometry((224, 224), (0, 0), (0, 0), (224, 224)), geometry);
    }

    [Fact]
    public void Crop_of_a_non_square_input_centres_each_axis()
    {
        // 400x300 → 341x256; a 200x100 window at ((341 − 200) / 2 = 70.5 → 70, 78).
        var spec = PreprocessingSpec.ImageNet with { Width = 200, Height = 100 };

        Assert.Equal(new ResizeGeometry((341, 256), (70, 78), (0, 0), (200, 100)), ResizeGeometry.For(400, 300, spec));
    }

    [Theory]
    [InlineData(101, 1)]
    [InlineData(3, 40_000)]
    public void Crop_refuses_a_side_over_100_times_the_other(int width, int height)
    {
        var failure = Assert.Throws<ClassificationException>(() => ResizeGeometry.For(width, height, PreprocessingSpec.ImageNet));

        Assert.Equal(Problems.ImageTooElongated, failure.Type);
    }

    [Theory]
    [InlineData(500, 375)]
    [InlineData(3, 40_000)]
    public void Stretch_takes_the_whole_image_to_the_input(int width, int height)
    {
        var spec = PreprocessingSpec.ImageNet with { Resize = ResizeMode.Stretch, Width = 300, Height = 200 };

        Assert.Equal(new ResizeGeometry((300, 200), (0, 0), (0, 0), (300, 200)), ResizeGeometry.For(width, height, spec));
    }

    [Theory]
    [InlineData(500, 250, 224, 112, 0, 56)]
    [InlineData(250, 500, 112, 224, 56, 0)]
    // 200 × 224 / 300 = 149.33 → 149, placed at floor(75 / 2) = 37.
    [InlineData(300, 200, 224, 149, 0, 37)]
    [InlineData(100, 100, 224, 224, 0, 0)]
    // 3 × 224 / 1000 = 0.672 → 1 column.
    [InlineData(3, 1000, 1, 224, 111, 0)]
    public void Pad_fits_the_image_inside_at_the_centre(int width, int height, int resizedWidth, int resizedHeight, int left, int top)
    {
        var spec = PreprocessingSpec.ImageNet with { Resize = ResizeMode.Pad };

        var geometry = ResizeGeometry.For(width, height, spec);

        Assert.Equal(new ResizeGeometry((resizedWidth, resizedHeight), (0, 0), (left, top), (resizedWidth, resizedHeight)), geometry);
        Assert.Equal(resizedWidth < 224 || resizedHeight < 224, geometry.Padded(spec));
    }

    [Fact]
    public void Pad_at_the_start_places_the_image_top_left()
    {
        var spec = PreprocessingSpec.ImageNet with { Resize = ResizeMode.Pad, PadAnchor = PadAnchor.Start };

        Assert.Equal(new ResizeGeometry((112, 224), (0, 0), (0, 0), (112, 224)), ResizeGeometry.For(250, 500, spec));
    }

    [Fact]
    public void Pad_into_a_non_square_input_is_limited_by_the_tighter_side()
    {
        // 640x480 into 320x160: height-limited, 640 × 160 / 480 = 213.33 → 213, at (53, 0).
        var spec = PreprocessingSpec.ImageNet with { Resize = ResizeMode.Pad, Width = 320, Height = 160 };

        Assert.Equal(new ResizeGeometry((213, 160), (0, 0), (53, 0), (213, 160)), ResizeGeometry.For(640, 480, spec));
    }
}
