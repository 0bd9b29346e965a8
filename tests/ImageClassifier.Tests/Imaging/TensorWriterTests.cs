using ImageClassifier.Failures;
using ImageClassifier.Imaging;

namespace ImageClassifier.Tests.Imaging;

public class TensorWriterTests
{
    private static readonly PreprocessingSpec Spec = PreprocessingSpec.ImageNet;
    private static readonly double[] Mean = [0.485, 0.456, 0.406];
    private static readonly double[] Std = [0.229, 0.224, 0.225];

    /// <summary>Values written as they are read (scale 1, mean 0, std 1), so a test reads 0–255 straight from the tensor.</summary>
    private static readonly PreprocessingSpec Raw = new() { Scale = [1f], Mean = [0f, 0f, 0f], Std = [1f, 1f, 1f] };

    private const int Crop = 224;
    private const int Area = Crop * Crop;

    [Fact]
    public void A_crop_sized_image_is_normalised_into_r_g_b_planes_without_resizing()
    {
        using var image = Pictures.Make(Crop, Crop, (x, y) => ((byte)x, (byte)y, (byte)(((7 * x) + (3 * y)) % 256)));

        var tensor = Write(image, Spec);

        for (var y = 0; y < Crop; y++)
        {
            for (var x = 0; x < Crop; x++)
            {
                AssertPixel(tensor, x, y, x, y, ((7 * x) + (3 * y)) % 256);
            }
        }
    }

    [Fact]
    public void A_solid_colour_stays_that_colour_through_the_resize()
    {
        using var image = Pictures.Solid(500, 375, (12, 200, 77));

        var tensor = Write(image, Spec);

        for (var y = 0; y < Crop; y++)
        {
            for (var x = 0; x < Crop; x++)
            {
                AssertPixel(tensor, x, y, 12, 200, 77);
            }
        }
    }

    [Fact]
    public void An_image_already_at_the_resize_size_is_only_cropped_at_its_centre()
    {
        // Each pixel names its own position, so the tensor shows where the window was taken:
        // 512x256 crops from (144, 16).
        using var image = Pictures.Make(512, 256, (x, y) => ((byte)(x % 256), (byte)(x / 256), (byte)y));

        var tensor = Write(image, Spec);

        AssertPixel(tensor, 0, 0, 144, 0, 16);
        AssertPixel(tensor, 223, 0, 367 % 256, 1, 16);
        AssertPixel(tensor, 0, 223, 144, 0, 239);
        AssertPixel(tensor, 223, 223, 367 % 256, 1, 239);
    }

    [Fact]
    public void The_window_covers_the_centre_and_nothing_of_the_frame_around_it()
    {
        // 600x300 resizes to 512x256; its window maps back to x 169..431, y 19..281 of the
        // source, inside the green square at x 150..450.
        using var image = Pictures.Make(600, 300, (x, _) => x is >= 150 and < 450 ? ((byte)0, (byte)255, (byte)0) : ((byte)255, (byte)0, (byte)0));

        var tensor = Write(image, Spec);

        for (var y = 0; y < Crop; y++)
        {
            for (var x = 0; x < Crop; x++)
            {
                AssertPixel(tensor, x, y, 0, 255, 0);
            }
        }
    }

    [Theory]
    // Geometry by hand (torchvision): int(256 × 500 / 375) = 341, round((341 − 224) / 2) = 58.
    [InlineData(500, 375, 341, 256, 58, 16)]
    [InlineData(375, 500, 256, 341, 16, 58)]
    [InlineData(1024, 512, 512, 256, 144, 16)]
    [InlineData(100, 80, 320, 256, 48, 16)]
    public void The_imagenet_default_gives_the_naive_resize_crop_and_normalisation(int width, int height, int resizedWidth, int resizedHeight, int left, int top)
    {
        using var image = Pictures.Noise(width, height);

        AssertClose(NaiveResize.ImageNetTensor(image, resizedWidth, resizedHeight, left, top), Write(image, Spec));
    }

    [Theory]
    // Rows of a width that is not a multiple of four (the writer goes four pixels at a time into
    // separate planes, then one by one), shrunk far enough that the last outputs' taps are clipped
    // at the image's edge, and the same in BGR.
    [InlineData(13, 9, ChannelOrder.Rgb)]
    [InlineData(7, 5, ChannelOrder.Bgr)]
    [InlineData(1, 3, ChannelOrder.Rgb)]
    [InlineData(230, 31, ChannelOrder.Bgr)]
    public void Rows_of_any_width_give_the_naive_resize_in_either_channel_order(int width, int height, ChannelOrder channels)
    {
        using var image = Pictures.Noise(300, 200);
        var spec = Raw with { Resize = ResizeMode.Stretch, Width = width, Height = height, Channels = channels };

        var tensor = Write(image, spec);

        AssertPlanes(NaiveResize.Resize(image, width, height, 0, 0, width, height), tensor, channels);
    }

    [Theory]
    // Column kernels of each number of taps the writer sums written out (2, 3 and 4) and of more
    // (the loop): an enlargement, then shrinks by 1.125, 1.6 and 2.5.
    [InlineData(600, 2)]
    [InlineData(267, 3)]
    [InlineData(188, 4)]
    [InlineData(120, 5)]
    public void Each_number_of_taps_gives_the_naive_resize(int width, int taps)
    {
        using var image = Pictures.Noise(300, 20);
        var spec = Raw with { Resize = ResizeMode.Stretch, Width = width, Height = 20 };

        var tensor = Write(image, spec);

        Assert.Equal(taps, ResizeKernel.For(300, width, 0, width).MaxTaps);
        AssertPlanes(NaiveResize.Resize(image, width, 20, 0, 0, width, 20), tensor, ChannelOrder.Rgb);
    }

    [Fact]
    public void A_reduced_scale_decode_is_resized_with_the_whole_image_s_geometry()
    {
        // The whole image is 999x750, decoded at half scale to 500x375. Its geometry is the
        // whole image's: int(256 × 999 / 750) = 340 wide (500x375's own would be 341), window
        // at round(116 / 2) = 58; the decoded pixels are resized onto it.
        using var image = Pictures.Noise(500, 375, fullWidth: 999, fullHeight: 750);

        AssertClose(NaiveResize.ImageNetTensor(image, 340, 256, 58, 16), Write(image, Spec));
    }

    [Fact]
    public void A_reduced_scale_decode_of_a_crop_sized_picture_is_still_cropped()
    {
        // 448x448 decoded at 224x224: the whole image is resized to 256 and its centre taken,
        // which reads decoded pixels 13..210 only, so the red frame 12 pixels wide never shows.
        // (Had the decoded size been taken for the image's, 224x224 would be kept whole, frame and all.)
        using var image = Pictures.Make(224, 224, (x, y) => Math.Min(Math.Min(x, y), Math.Min(223 - x, 223 - y)) < 12 ? ((byte)255, (byte)0, (byte)0) : ((byte)0, (byte)255, (byte)0), 448, 448);

        var tensor = Write(image, Spec);

        for (var y = 0; y < Crop; y++)
        {
            for (var x = 0; x < Crop; x++)
            {
                AssertPixel(tensor, x, y, 0, 255, 0);
            }
        }
    }

    [Fact]
    public void Stretch_resizes_the_whole_image_to_the_input_ignoring_its_aspect()
    {
        // 400x100 straight to 224x224: the whole image, each axis by its own ratio.
        using var image = Pictures.Noise(400, 100);
        var spec = Spec with { Resize = ResizeMode.Stretch };

        AssertClose(NaiveResize.ImageNetTensor(image, 224, 224, 0, 0), Write(image, spec));
    }

    [Theory]
    [InlineData(PadAnchor.Centre, 56)]
    [InlineData(PadAnchor.Start, 0)]
    public void Pad_fits_a_wide_image_inside_and_pads_above_and_below(PadAnchor anchor, int top)
    {
        // 448x224 fits as 224x112.
        using var image = Pictures.Solid(448, 224, (12, 200, 77));
        var spec = Raw with { Resize = ResizeMode.Pad, PadAnchor = anchor, PadValue = -7.5f };

        var tensor = Write(image, spec);

        for (var c = 0; c < 3; c++)
        {
            for (var y = 0; y < Crop; y++)
            {
                for (var x = 0; x < Crop; x++)
                {
                    float[] colour = [12, 200, 77];
                    var expected = y >= top && y < top + 112 ? colour[c] : -7.5f;
                    Assert.Equal(expected, tensor[(c * Area) + (y * Crop) + x], 1e-3);
                }
            }
        }
    }

    [Theory]
    [InlineData(PadAnchor.Centre, 56)]
    [InlineData(PadAnchor.Start, 0)]
    public void Pad_fits_a_tall_image_inside_and_pads_left_and_right_in_nhwc(PadAnchor anchor, int left)
    {
        // 100x200 fits as 112x224.
        using var image = Pictures.Solid(100, 200, (12, 200, 77));
        var spec = Raw with { Resize = ResizeMode.Pad, PadAnchor = anchor, PadValue = 0.5f, Layout = TensorLayout.Nhwc };

        var tensor = Write(image, spec);

        for (var y = 0; y < Crop; y++)
        {
            for (var x = 0; x < Crop; x++)
            {
                for (var c = 0; c < 3; c++)
                {
                    float[] colour = [12, 200, 77];
                    var expected = x >= left && x < left + 112 ? colour[c] : 0.5f;
                    Assert.Equal(expected, tensor[(((y * Crop) + x) * 3) + c], 1e-3);
                }
            }
        }
    }

    [Fact]
    public void Pad_resizes_the_picture_it_places_as_the_naive_resize_does()
    {
        // 300x200 fits as 224x149 (149.33 rounded), placed at row floor(75 / 2) = 37.
        using var image = Pictures.Noise(300, 200);
        var spec = Raw with { Resize = ResizeMode.Pad };

        var tensor = Write(image, spec);

        var expected = NaiveResize.Resize(image, 224, 149, 0, 0, 224, 149);
        for (var y = 0; y < Crop; y++)
        {
            for (var x = 0; x < Crop; x++)
            {
                for (var c = 0; c < 3; c++)
                {
                    var want = y is >= 37 and < 37 + 149 ? expected[c, y - 37, x] : 0;
                    Assert.Equal(want, tensor[(c * Area) + (y * Crop) + x], 1e-2);
                }
            }
        }
    }

    [Theory]
    [InlineData(ResizeMode.Crop)]
    [InlineData(ResizeMode.Stretch)]
    [InlineData(ResizeMode.Pad)]
    public void Bgr_is_rgb_with_the_first_and_last_planes_swapped(ResizeMode mode)
    {
        using var image = Pictures.Noise(300, 200);
        var rgb = Write(image, Spec with { Resize = mode });

        // Mean and std follow the tensor's channels, so they are reversed too.
        var bgr = Write(image, Spec with { Resize = mode, Channels = ChannelOrder.Bgr, Mean = [.. Enumerable.Reverse(Spec.Mean)], Std = [.. Enumerable.Reverse(Spec.Std)] });

        Assert.Equal(rgb.AsSpan(2 * Area, Area).ToArray(), bgr.AsSpan(0, Area).ToArray());
        Assert.Equal(rgb.AsSpan(Area, Area).ToArray(), bgr.AsSpan(Area, Area).ToArray());
        Assert.Equal(rgb.AsSpan(0, Area).ToArray(), bgr.AsSpan(2 * Area, Area).ToArray());
    }

    [Theory]
    [InlineData(ResizeMode.Crop, ChannelOrder.Rgb)]
    [InlineData(ResizeMode.Stretch, ChannelOrder.Bgr)]
    [InlineData(ResizeMode.Pad, ChannelOrder.Rgb)]
    [InlineData(ResizeMode.Crop, ChannelOrder.Grey)]
    public void Nhwc_is_nchw_transposed(ResizeMode mode, ChannelOrder channels)
    {
        using var image = Pictures.Noise(300, 200);
        var spec = channels == ChannelOrder.Grey
            ? Spec with { Resize = mode, Channels = channels, Mean = [0.5f], Std = [0.25f], PadValue = -1 }
            : Spec with { Resize = mode, Channels = channels, PadValue = -1 };
        var planar = Write(image, spec);

        var interleaved = Write(image, spec with { Layout = TensorLayout.Nhwc });

        var count = spec.ChannelCount;
        for (var c = 0; c < count; c++)
        {
            for (var at = 0; at < Area; at++)
            {
                Assert.Equal(planar[(c * Area) + at], interleaved[(at * count) + c]);
            }
        }
    }

    [Fact]
    public void Grey_is_one_channel_of_the_bt601_luma()
    {
        using var image = Pictures.Noise(300, 200);
        var rgb = Write(image, Raw);
        var spec = Raw with { Channels = ChannelOrder.Grey, Mean = [0f], Std = [1f] };

        var grey = Write(image, spec);

        Assert.Equal(Area, grey.Length);
        for (var at = 0; at < Area; at++)
        {
            var luma = (0.299 * rgb[at]) + (0.587 * rgb[Area + at]) + (0.114 * rgb[(2 * Area) + at]);
            Assert.Equal(luma, grey[at], 1e-3);
        }
    }

    [Fact]
    public void A_solid_grey_image_is_normalised_with_the_one_channel_s_numbers()
    {
        using var image = Pictures.Solid(640, 480, (100, 150, 200));
        var spec = Spec with { Channels = ChannelOrder.Grey, Scale = [2f], Mean = [10f], Std = [4f] };

        var tensor = Write(image, spec);

        var luma = (0.299 * 100) + (0.587 * 150) + (0.114 * 200);
        Assert.All(tensor, value => Assert.Equal(((luma * 2) - 10) / 4, value, 1e-3));
    }

    [Fact]
    public void Per_channel_scales_are_applied_before_the_mean_and_std()
    {
        using var image = Pictures.Solid(300, 300, (10, 20, 30));
        var spec = Spec with { Scale = [1f, 2f, 3f], Mean = [1f, 2f, 3f], Std = [3f, 2f, 1f] };

        var tensor = Write(image, spec);

        double[] expected = [((10 * 1) - 1) / 3.0, ((20 * 2) - 2) / 2.0, (30 * 3) - 3];
        for (var c = 0; c < 3; c++)
        {
            Assert.All(tensor.AsSpan(c * Area, Area).ToArray(), value => Assert.Equal(expected[c], value, 1e-3));
        }
    }

    [Fact]
    public void A_non_square_input_takes_its_width_and_height()
    {
        // 640x480 stretched to 320x160: a colour per quadrant shows where the rows and columns went.
        using var image = Pictures.Make(640, 480, (x, y) => ((byte)(x < 320 ? 0 : 200), (byte)(y < 240 ? 0 : 100), 50));
        var spec = Raw with { Resize = ResizeMode.Stretch, Width = 320, Height = 160 };

        var tensor = Write(image, spec);

        Assert.Equal(3 * 320 * 160, tensor.Length);
        Assert.Equal(0, tensor[(10 * 320) + 10], 1e-3);
        Assert.Equal(200, tensor[(10 * 320) + 300], 1e-3);
        Assert.Equal(0, tensor[(320 * 160) + (10 * 320) + 10], 1e-3);
        Assert.Equal(100, tensor[(320 * 160) + (150 * 320) + 10], 1e-3);
        Assert.Equal(50, tensor[(2 * 320 * 160) + (150 * 320) + 300], 1e-3);
    }

    [Theory]
    [InlineData(Resample.Nearest)]
    [InlineData(Resample.Bicubic)]
    [InlineData(Resample.Lanczos)]
    public void Every_filter_keeps_a_solid_colour(Resample resample)
    {
        using var image = Pictures.Solid(500, 375, (12, 200, 77));

        var tensor = Write(image, Spec with { Resample = resample });

        for (var y = 0; y < Crop; y += 7)
        {
            for (var x = 0; x < Crop; x += 5)
            {
                AssertPixel(tensor, x, y, 12, 200, 77);
            }
        }
    }

    [Fact]
    public void Nearest_repeats_each_pixel_when_enlarging()
    {
        // 112x112 stretched to 224x224: output (x, y) is source (x / 2, y / 2), exactly.
        using var image = Pictures.Make(112, 112, (x, y) => ((byte)x, (byte)y, (byte)(x ^ y)));

        var tensor = Write(image, Spec with { Resize = ResizeMode.Stretch, Resample = Resample.Nearest });

        for (var y = 0; y < Crop; y++)
        {
            for (var x = 0; x < Crop; x++)
            {
                AssertPixel(tensor, x, y, x / 2, y / 2, (x / 2) ^ (y / 2));
            }
        }
    }

    [Fact]
    public void Bicubic_differs_from_bilinear_on_detail()
    {
        using var image = Pictures.Noise(500, 375);

        var bilinear = Write(image, Spec);
        var bicubic = Write(image, Spec with { Resample = Resample.Bicubic });

        Assert.Equal(bilinear, Write(image, Spec with { Resample = Resample.Bilinear }));
        Assert.NotEqual(bilinear, bicubic);
    }

    [Fact]
    public void A_destination_of_the_wrong_length_is_refused()
    {
        using var image = Pictures.Solid(Crop, Crop, (0, 0, 0));

        Assert.Throws<ArgumentException>(() => new TensorWriter().Write(image, Spec, new float[Spec.TensorLength - 1]));
    }

    [Fact]
    public void An_invalid_spec_is_refused()
    {
        using var image = Pictures.Solid(Crop, Crop, (0, 0, 0));
        var spec = Spec with { Channels = ChannelOrder.Grey };

        var failure = Assert.Throws<ArgumentException>(() => new TensorWriter().Write(image, spec, new float[spec.TensorLength]));

        Assert.Contains("mean needs 1", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sliver_is_refused_as_unusable_when_cropped()
    {
        using var image = Pictures.Solid(1, 101, (0, 0, 0));

        var failure = Assert.Throws<ClassificationException>(() => new TensorWriter().Write(image, Spec, new float[Spec.TensorLength]));

        Assert.Equal(Problems.ImageTooElongated, failure.Type);
    }

    [Fact]
    public void A_sliver_is_padded_whole()
    {
        // 1x101 fits as round(224 / 101) = 2 columns wide, at column 111.
        using var image = Pictures.Solid(1, 101, (40, 50, 60));
        var spec = Raw with { Resize = ResizeMode.Pad, PadValue = -1 };

        var tensor = Write(image, spec);

        Assert.Equal(-1, tensor[110]);
        Assert.Equal(40, tensor[111], 1e-3);
        Assert.Equal(40, tensor[(223 * Crop) + 112], 1e-3);
        Assert.Equal(-1, tensor[113]);
    }

    [Theory]
    [InlineData(ResizeMode.Crop, Resample.Bilinear)]
    [InlineData(ResizeMode.Crop, Resample.Bicubic)]
    [InlineData(ResizeMode.Crop, Resample.Lanczos)]
    [InlineData(ResizeMode.Crop, Resample.Nearest)]
    [InlineData(ResizeMode.Stretch, Resample.Bilinear)]
    [InlineData(ResizeMode.Pad, Resample.Bicubic)]
    public void An_image_holding_only_the_part_the_resize_reads_gives_the_whole_images_tensor(ResizeMode resize, Resample resample)
    {
        // A 4032x3024 photo decoded at 1/8, as the function decodes it.
        var spec = Spec with { Resize = resize, Resample = resample };
        using var whole = Pictures.Noise(504, 378, 4032, 3024);
        var region = new TensorWriter().Reads((504, 378), (4032, 3024), spec);
        using var part = new DecodedImage(region, 504, 378, 4032, 3024);
        for (var y = 0; y < region.Height; y++)
        {
            whole.Row(region.Top + y).Slice(region.Left * DecodedImage.BytesPerPixel, part.Stride).CopyTo(part.Row(y));
        }

        Assert.Equal(Write(whole, spec), Write(part, spec));
    }

    [Fact]
    public void The_part_a_centre_crop_reads_is_the_crop_and_the_filters_reach_around_it()
    {
        // 504x378 resized to 341x256, ratio 378 / 256: the 224x224 crop is 224 x 1.477 = 331 pixels
        // square at the centre, and bilinear reaches up to ceil(1.477) = 2 pixels beyond it.
        var region = new TensorWriter().Reads((504, 378), (4032, 3024), Spec);

        Assert.InRange(region.Width, 331, 331 + 4);
        Assert.InRange(region.Height, 331, 331 + 4);
        Assert.InRange(region.Left + (region.Width / 2.0), 252 - 1, 252 + 1);
        Assert.InRange(region.Top + (region.Height / 2.0), 189 - 1, 189 + 1);
    }

    [Fact]
    public void An_image_holding_less_than_the_resize_reads_is_refused()
    {
        var region = new TensorWriter().Reads((504, 378), (4032, 3024), Spec);
        using var part = new DecodedImage(region with { Width = region.Width / 2 }, 504, 378, 4032, 3024);

        Assert.Throws<ArgumentException>("image", () => Write(part, Spec));
    }

    private static float[] Write(DecodedImage image, PreprocessingSpec spec)
    {
        var tensor = new float[spec.TensorLength];
        new TensorWriter().Write(image, spec, tensor);
        return tensor;
    }

    /// <summary>Each of the tensor's planes against the naive resize's red, green and blue, in the tensor's channel order.</summary>
    private static void AssertPlanes(double[,,] expected, float[] tensor, ChannelOrder channels)
    {
        var (height, width) = (expected.GetLength(1), expected.GetLength(2));
        var plane = width * height;
        for (var c = 0; c < 3; c++)
        {
            var at = (channels == ChannelOrder.Bgr ? 2 - c : c) * plane;
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    Assert.Equal(expected[c, y, x], tensor[at + (y * width) + x], 1e-2);
                }
            }
        }
    }

    private static void AssertClose(double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4, $"value {i}: expected {expected[i]}, got {actual[i]}");
        }
    }

    /// <summary>Checks the three planes at (x, y) against ((v / 255) − mean) / std.</summary>
    private static void AssertPixel(float[] tensor, int x, int y, int r, int g, int b)
    {
        int[] values = [r, g, b];
        for (var channel = 0; channel < 3; channel++)
        {
            var expected = ((values[channel] / 255.0) - Mean[channel]) / Std[channel];
            var actual = tensor[(channel * Area) + (y * Crop) + x];
            Assert.True(Math.Abs(expected - actual) <= 1e-5,
                $"channel {channel} at ({x}, {y}): expected {expected} from value {values[channel]}, got {actual}");
        }
    }
}
