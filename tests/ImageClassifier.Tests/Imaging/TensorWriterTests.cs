using ImageClassifier.Failures;
using ImageClassifier.Imaging;
using ImageClassifier.Inference;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ImageClassifier.Tests.Imaging;

public class TensorWriterTests
{
    private static readonly PreprocessingSpec Spec = PreprocessingSpec.ImageNet;
    private static readonly double[] Mean = [0.485, 0.456, 0.406];
    private static readonly double[] Std = [0.229, 0.224, 0.225];
    private const int Crop = 224;
    private const int Area = Crop * Crop;

    [Fact]
    public void A_crop_sized_image_is_normalised_into_r_g_b_planes_without_resizing()
    {
        using var image = new Image<Rgb24>(Crop, Crop);
        for (var y = 0; y < Crop; y++)
        {
            for (var x = 0; x < Crop; x++)
            {
                image[x, y] = new Rgb24((byte)x, (byte)y, (byte)(((7 * x) + (3 * y)) % 256));
            }
        }

        var tensor = Write(image);

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
        using var image = new Image<Rgb24>(500, 375, new Rgb24(12, 200, 77));

        var tensor = Write(image);

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
        using var image = new Image<Rgb24>(512, 256);
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                image[x, y] = new Rgb24((byte)(x % 256), (byte)(x / 256), (byte)y);
            }
        }

        var tensor = Write(image);

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
        using var image = new Image<Rgb24>(600, 300, new Rgb24(255, 0, 0));
        Paint.Rectangle(image, new Rectangle(150, 0, 300, 300), new Rgb24(0, 255, 0));

        var tensor = Write(image);

        for (var y = 0; y < Crop; y++)
        {
            for (var x = 0; x < Crop; x++)
            {
                AssertPixel(tensor, x, y, 0, 255, 0);
            }
        }
    }

    [Theory]
    [InlineData(500, 375)]
    [InlineData(375, 500)]
    [InlineData(1024, 512)]
    [InlineData(100, 80)]
    public void One_resize_gives_the_same_pixels_as_resizing_then_cropping(int width, int height)
    {
        using var image = Noise(width, height);
        var crop = CentreCrop.For(new Size(width, height), Spec);
        using var reference = image.Clone(x => x
            .Resize(crop.Resized.Width, crop.Resized.Height, KnownResamplers.Triangle)
            .Crop(new Rectangle(crop.Offset, new Size(Crop, Crop))));

        var tensor = Write(image);

        for (var y = 0; y < Crop; y++)
        {
            for (var x = 0; x < Crop; x++)
            {
                // ImageSharp's bulk and scalar Vector4 → Rgb24 conversions may round a value one
                // level apart, and the rows have different lengths here.
                var expected = reference[x, y];
                AssertPixel(tensor, x, y, expected.R, expected.G, expected.B, levels: 1);
            }
        }
    }

    [Fact]
    public void A_destination_of_the_wrong_length_is_refused()
    {
        using var image = new Image<Rgb24>(Crop, Crop);

        Assert.Throws<ArgumentException>(() => new TensorWriter().Write(image.ToDecoded(), Spec, new float[Spec.TensorLength - 1]));
    }

    [Fact]
    public void A_sliver_is_refused_as_unusable()
    {
        using var image = new Image<Rgb24>(1, 101);

        var failure = Assert.Throws<ClassificationException>(() => new TensorWriter().Write(image.ToDecoded(), Spec, new float[Spec.TensorLength]));

        Assert.Equal(Problems.ImageTooElongated, failure.Type);
    }

    private static float[] Write(Image<Rgb24> image)
    {
        var tensor = new float[Spec.TensorLength];
        new TensorWriter().Write(image.ToDecoded(), Spec, tensor);
        return tensor;
    }

    /// <summary>Checks the three planes at (x, y) against ((v / 255) − mean) / std, give or take <paramref name="levels"/> of v.</summary>
    private static void AssertPixel(float[] tensor, int x, int y, int r, int g, int b, int levels = 0)
    {
        int[] values = [r, g, b];
        for (var channel = 0; channel < 3; channel++)
        {
            var expected = ((values[channel] / 255.0) - Mean[channel]) / Std[channel];
            var actual = tensor[(channel * Area) + (y * Crop) + x];
            var tolerance = (levels / 255.0 / Std[channel]) + 1e-5;
            Assert.True(Math.Abs(expected - actual) <= tolerance,
                $"channel {channel} at ({x}, {y}): expected {expected} from value {values[channel]}, got {actual}");
        }
    }

    private static Image<Rgb24> Noise(int width, int height)
    {
        var random = new Random(7);
        var image = new Image<Rgb24>(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                image[x, y] = new Rgb24((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
            }
        }

        return image;
    }
}
