using ImageClassifier.Imaging;

namespace ImageClassifier.Tests.Imaging;

public class ResizeKernelTests
{
    [Theory]
    [InlineData(768, 341, 58, 224)]
    [InlineData(576, 256, 16, 224)]
    [InlineData(100, 256, 16, 224)]
    [InlineData(7000, 256, 16, 224)]
    public void Every_output_s_weights_sum_to_one_and_read_inside_the_image(int source, int resized, int offset, int length)
    {
        var kernel = ResizeKernel.For(source, resized, offset, length);

        for (var i = 0; i < length; i++)
        {
            var weights = kernel.WeightsOf(i);
            Assert.InRange(weights.Length, 1, kernel.MaxTaps);
            Assert.Equal(1f, weights.ToArray().Sum(), 4);
            Assert.InRange(kernel.StartOf(i), 0, source - weights.Length);
        }

        Assert.InRange(kernel.End, 1, source);
    }

    [Fact]
    public void Equal_sizes_read_each_pixel_alone()
    {
        var kernel = ResizeKernel.For(224, 224, 0, 224);

        Assert.Equal(1, kernel.MaxTaps);
        for (var i = 0; i < 224; i++)
        {
            Assert.Equal(i, kernel.StartOf(i));
            Assert.Equal([1f], kernel.WeightsOf(i).ToArray());
        }
    }

    [Fact]
    public void Halving_averages_neighbours_with_the_widened_triangle()
    {
        // Output 0 of 4 → 2 is centred at 0.5: source pixels 0 and 1 weigh 0.75 each before
        // normalising, pixel 2 weighs 0.25 (pixel −1 is outside the image).
        var kernel = ResizeKernel.For(4, 2, 0, 1);

        Assert.Equal(0, kernel.StartOf(0));
        var weights = kernel.WeightsOf(0).ToArray();
        Assert.Equal(3, weights.Length);
        Assert.Equal(0.75f / 1.75f, weights[0], 5);
        Assert.Equal(0.75f / 1.75f, weights[1], 5);
        Assert.Equal(0.25f / 1.75f, weights[2], 5);
    }

    [Theory]
    [InlineData(Resample.Bicubic)]
    [InlineData(Resample.Lanczos)]
    [InlineData(Resample.Nearest)]
    public void Every_filter_s_weights_sum_to_one_and_equal_sizes_read_each_pixel_alone(Resample resample)
    {
        foreach (var (source, resized) in new[] { (768, 341), (100, 256) })
        {
            var shrinkOrGrow = ResizeKernel.For(source, resized, 16, 224, resample);
            for (var i = 0; i < 224; i++)
            {
                Assert.Equal(1f, shrinkOrGrow.WeightsOf(i).ToArray().Sum(), 4);
                Assert.InRange(shrinkOrGrow.StartOf(i), 0, source - shrinkOrGrow.WeightsOf(i).Length);
            }
        }

        var same = ResizeKernel.For(224, 224, 0, 224, resample);
        for (var i = 0; i < 224; i++)
        {
            Assert.Equal(i, same.StartOf(i));
            Assert.Equal([1f], same.WeightsOf(i).ToArray());
        }
    }

    [Fact]
    public void Bicubic_and_lanczos_reach_further_than_bilinear_with_negative_lobes()
    {
        // Doubling, output 50's centre is source 24.75: bilinear reads 2 pixels, bicubic 4
        // (23 to 26, cubic a = -0.5 at distances 1.75, 0.75, 0.25, 1.25: -0.0234, 0.2266,
        // 0.8672, -0.0703, summing to 1), Lanczos 6.
        Assert.Equal(2, ResizeKernel.For(100, 200, 50, 1).WeightsOf(0).Length);
        var bicubic = ResizeKernel.For(100, 200, 50, 1, Resample.Bicubic).WeightsOf(0).ToArray();
        Assert.Equal(4, bicubic.Length);
        Assert.Equal(-0.0234375, bicubic[0], 4);
        Assert.Equal(0.2265625, bicubic[1], 4);
        Assert.Equal(0.8671875, bicubic[2], 4);
        Assert.Equal(-0.0703125, bicubic[3], 4);
        Assert.Equal(6, ResizeKernel.For(100, 200, 50, 1, Resample.Lanczos).WeightsOf(0).Length);
    }

    [Fact]
    public void Nearest_takes_the_pixel_under_each_output_s_centre()
    {
        // 3 → 7: centres 0.5 × 3/7 … 6.5 × 3/7 (0.21, 0.64, 1.07, 1.5, 1.93, 2.36, 2.79) fall in pixels 0 0 1 1 1 2 2.
        var kernel = ResizeKernel.For(3, 7, 0, 7, Resample.Nearest);

        Assert.Equal([0, 0, 1, 1, 1, 2, 2], Enumerable.Range(0, 7).Select(kernel.StartOf));
        Assert.Equal(1, kernel.MaxTaps);
    }
}
