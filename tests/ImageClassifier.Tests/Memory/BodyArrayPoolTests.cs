using ImageClassifier.Memory;

namespace ImageClassifier.Tests.Memory;

/// <summary>The arrays bodies and downloads are read into: which sizes are pooled, and how many of them are kept.</summary>
public sealed class BodyArrayPoolTests
{
    private const int MiB = 1024 * 1024;

    [Theory]
    [InlineData(16 * 1024, 16 * 1024)]
    [InlineData(100_001, 128 * 1024)]
    [InlineData(MiB + 1, 2 * MiB)]
    [InlineData(2_287_580, 4 * MiB)]
    [InlineData(8 * MiB, 8 * MiB)]
    [InlineData((8 * MiB) + 1, (8 * MiB) + 1)]
    public void An_array_is_a_power_of_two_long_up_to_8_MiB_and_its_own_length_beyond(int asked, int expected)
    {
        var pool = new BodyArrayPool();

        var array = pool.Rent(asked);

        Assert.Equal(expected, array.Length);
        Assert.Equal(expected, BodyArrayPool.LengthFor(asked));
        pool.Return(array);
    }

    [Fact]
    public void A_photos_array_given_back_is_lent_again_for_the_next_photo_of_its_size()
    {
        var pool = new BodyArrayPool();
        var first = pool.Rent(2_287_580);
        pool.Return(first);

        var second = pool.Rent(3_000_000);

        Assert.Same(first, second);
    }

    [Fact]
    public void Two_photo_sized_arrays_of_a_length_are_kept_and_a_third_is_left_to_the_GC()
    {
        var pool = new BodyArrayPool();
        byte[][] lent = [pool.Rent(4 * MiB), pool.Rent(4 * MiB), pool.Rent(4 * MiB)];
        foreach (var array in lent)
        {
            pool.Return(array);
        }

        byte[][] again = [pool.Rent(4 * MiB), pool.Rent(4 * MiB), pool.Rent(4 * MiB)];

        Assert.Equal(2, again.Count(array => lent.Contains(array)));
    }

    [Fact]
    public void An_array_larger_than_the_pools_is_never_lent_again()
    {
        var pool = new BodyArrayPool();
        var first = pool.Rent(9 * MiB);
        pool.Return(first);

        Assert.NotSame(first, pool.Rent(9 * MiB));
    }
}
