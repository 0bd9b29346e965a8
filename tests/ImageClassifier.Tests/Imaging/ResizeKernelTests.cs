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
}
