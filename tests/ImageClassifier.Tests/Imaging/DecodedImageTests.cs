using ImageClassifier.Imaging;

namespace ImageClassifier.Tests.Imaging;

public class DecodedImageTests
{
    [Theory]
    // A photo's reduced-scale part, from the shared pool, and a whole large decode, from native memory.
    [InlineData(260, 252)]
    [InlineData(1024, 512)]
    public void An_image_starts_zeroed_even_where_the_last_one_left_its_pixels(int width, int height)
    {
        using (var earlier = new DecodedImage(width, height, width, height))
        {
            earlier.Pixels.Fill(0xAB);
        }

        // On the same thread the pool hands the same array straight back.
        using var next = new DecodedImage(width, height, width, height);

        Assert.Equal(width * height * DecodedImage.BytesPerPixel, next.Pixels.Length);
        Assert.Equal(-1, next.Pixels.IndexOfAnyExcept((byte)0));
    }

    [Fact]
    public void A_part_holds_its_region_s_pixels_only()
    {
        using var image = new DecodedImage(new PixelRegion(10, 20, 30, 40), 100, 100, 800, 800);

        Assert.Equal(30 * 40 * DecodedImage.BytesPerPixel, image.Pixels.Length);
        Assert.Equal(30 * DecodedImage.BytesPerPixel, image.Row(39).Length);
    }

    [Fact]
    public void Pixels_written_are_read_back_row_by_row()
    {
        using var image = new DecodedImage(3, 2, 3, 2);
        image.Row(1)[4] = 7;

        Assert.Equal(7, image.Pixels[(1 * image.Stride) + 4]);
    }

    [Theory]
    [InlineData(16, 16)]
    [InlineData(1024, 512)]
    public void A_disposed_image_refuses_its_pixels_and_may_be_disposed_again(int width, int height)
    {
        var image = new DecodedImage(width, height, width, height);
        image.Dispose();

        Assert.Throws<ObjectDisposedException>(() => image.Pixels.Length);
        image.Dispose();
    }
}
