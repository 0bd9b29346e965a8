using ImageClassifier.Imaging;

namespace ImageClassifier.Tests.Imaging;

public class PreprocessingSpecTests
{
    [Fact]
    public void The_imagenet_default_is_today_s_convention()
    {
        var spec = PreprocessingSpec.ImageNet;

        Assert.Equal(ResizeMode.Crop, spec.Resize);
        Assert.Equal(256, spec.ResizeShorterSide);
        Assert.Equal((224, 224), (spec.Width, spec.Height));
        Assert.Equal(TensorLayout.Nchw, spec.Layout);
        Assert.Equal(ChannelOrder.Rgb, spec.Channels);
        Assert.Equal(Resample.Bilinear, spec.Resample);
        Assert.Equal([0.485f, 0.456f, 0.406f], spec.Mean);
        Assert.Equal([0.229f, 0.224f, 0.225f], spec.Std);
        Assert.Equal(1f / 255, spec.ScaleOf(0));
        Assert.Equal(1f / 255, spec.ScaleOf(2));
        Assert.Equal(3 * 224 * 224, spec.TensorLength);
        spec.Validate();
    }

    [Fact]
    public void The_shape_follows_the_layout_and_the_channels()
    {
        var spec = PreprocessingSpec.ImageNet with { Width = 320, Height = 160 };

        Assert.Equal([4L, 3, 160, 320], spec.TensorShape(4));
        Assert.Equal([4L, 160, 320, 3], (spec with { Layout = TensorLayout.Nhwc }).TensorShape(4));
        Assert.Equal([1L, 1, 160, 320], (spec with { Channels = ChannelOrder.Grey }).TensorShape(1));
        Assert.Equal(160 * 320, (spec with { Channels = ChannelOrder.Grey }).TensorLength);
    }

    [Theory]
    [InlineData(ResizeMode.Crop, 500, 375, 341, 256)]
    [InlineData(ResizeMode.Crop, 224, 224, 224, 224)]
    [InlineData(ResizeMode.Stretch, 500, 375, 224, 224)]
    [InlineData(ResizeMode.Pad, 500, 375, 224, 168)]
    [InlineData(ResizeMode.Pad, 375, 500, 168, 224)]
    public void The_resized_size_is_what_the_whole_image_becomes_before_crop_or_padding(ResizeMode mode, int width, int height, int resizedWidth, int resizedHeight)
    {
        var spec = PreprocessingSpec.ImageNet with { Resize = mode };

        Assert.Equal((resizedWidth, resizedHeight), spec.ResizedSize(width, height));
    }

    [Fact]
    public void Per_channel_scales_are_taken_one_a_channel()
    {
        var spec = PreprocessingSpec.ImageNet with { Scale = [1f, 2f, 3f] };

        spec.Validate();
        Assert.Equal(2f, spec.ScaleOf(1));
    }

    public static TheoryData<PreprocessingSpec, string> Invalid => new()
    {
        { PreprocessingSpec.ImageNet with { Width = 0 }, "size must be positive" },
        { PreprocessingSpec.ImageNet with { Height = -3 }, "size must be positive" },
        { PreprocessingSpec.ImageNet with { Width = 300 }, "resizeShorterSide (256) must be at least 300" },
        { PreprocessingSpec.ImageNet with { ResizeShorterSide = 0 }, "resizeShorterSide (0)" },
        { PreprocessingSpec.ImageNet with { Mean = [0.5f] }, "mean needs 3 value(s)" },
        { PreprocessingSpec.ImageNet with { Channels = ChannelOrder.Grey }, "mean needs 1 value(s)" },
        { PreprocessingSpec.ImageNet with { Std = [1f, 0f, 1f] }, "std must not be 0" },
        { PreprocessingSpec.ImageNet with { Scale = [1f, 2f] }, "scale needs 1 or 3 value(s)" },
        { PreprocessingSpec.ImageNet with { Mean = [0f, float.NaN, 0f] }, "mean must hold finite numbers" },
        { PreprocessingSpec.ImageNet with { PadValue = float.PositiveInfinity }, "padValue must be a finite number" },
        { PreprocessingSpec.ImageNet with { Layout = (TensorLayout)7 }, "Unknown resize mode, layout" },
        { PreprocessingSpec.ImageNet with { Width = 50_000, Height = 50_000, ResizeShorterSide = 50_000 }, "too large" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void An_invalid_spec_is_refused_saying_why(PreprocessingSpec spec, string reason)
    {
        var failure = Assert.Throws<ArgumentException>(spec.Validate);

        Assert.Contains(reason, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_crop_larger_than_the_resize_is_fine_when_stretching_or_padding()
    {
        (PreprocessingSpec.ImageNet with { Resize = ResizeMode.Stretch, Width = 300 }).Validate();
        (PreprocessingSpec.ImageNet with { Resize = ResizeMode.Pad, Width = 300 }).Validate();
    }
}
