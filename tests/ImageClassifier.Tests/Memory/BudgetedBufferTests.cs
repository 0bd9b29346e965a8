using ImageClassifier.Failures;
using ImageClassifier.Memory;
using ImageClassifier.Tests.Harness;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ImageClassifier.Tests.Memory;

/// <summary>A body read into memory that grows as it arrives: what it is charged, and that every byte is kept.</summary>
public sealed class BudgetedBufferTests : IDisposable
{
    private const int Limit = 20 * 1024 * 1024;

    private readonly ServiceProvider services = new ServiceCollection()
        .AddLogging()
        .AddMemoryBudget(new ConfigurationBuilder().AddInMemoryCollection([TestMemoryBudget.Setting]).Build())
        .BuildServiceProvider();

    public void Dispose() => services.Dispose();

    [Theory]
    [InlineData(2_287_579)]
    [InlineData(3_000_000)]
    [InlineData(1_048_576)]
    public async Task A_large_body_of_declared_length_is_charged_its_own_length_not_the_next_power_of_two(int length)
    {
        var budget = services.GetRequiredService<MemoryBudget>();
        var bytes = Bytes(length);

        using (var body = await ReadAsync(new MemoryStream(bytes), length, budget))
        {
            Assert.True(body.Memory.Span.SequenceEqual(bytes));
        }

        // The budget counts each growth in 4 KiB pages; doubling would have charged up to twice the length.
        var peak = budget.TakePeakReserved();
        Assert.InRange(peak, length + 1, length + 1 + (16 * 4096));
        Assert.Equal(0, budget.Reserved);
    }

    [Fact]
    public async Task A_body_longer_than_it_declared_is_still_read_whole_and_within_the_limit()
    {
        var budget = services.GetRequiredService<MemoryBudget>();
        var bytes = Bytes(3_000_000);

        using var body = await ReadAsync(new MemoryStream(bytes), declaredLength: 1_500_000, budget);

        Assert.True(body.Memory.Span.SequenceEqual(bytes));
    }

    [Fact]
    public async Task A_body_past_the_limit_is_refused_whatever_it_declared()
    {
        var budget = services.GetRequiredService<MemoryBudget>();

        var failure = await Assert.ThrowsAsync<ClassificationException>(
            () => BudgetedBuffer.ReadAsync(new MemoryStream(Bytes(3_000_000)), 1_000_000, 2_000_000, budget, "The body", () => Problems.PayloadTooLarge.Failure("too large"), CancellationToken.None));

        Assert.Equal(Problems.PayloadTooLarge, failure.Type);
        Assert.Equal(0, budget.Reserved);
    }

    [Theory]
    [InlineData(1024 * 1024, 2_287_580L, 1_143_790)]
    [InlineData(1_143_790, 2_287_580L, 2_287_580)]
    [InlineData(65_536, 100_001L, 100_001)]
    [InlineData(65_536, null, 131_072)]
    [InlineData(4_194_304, 2_287_580L, 8_388_608)]
    public void Each_growth_is_at_most_twice_the_buffer_and_lands_on_the_declared_length(int current, long? declaredPlusOne, int expected) =>
        Assert.Equal(expected, BudgetedBuffer.NextSize(current, declaredPlusOne - 1, Limit + 1L));

    private static Task<BudgetedBuffer> ReadAsync(Stream source, long declaredLength, MemoryBudget budget) =>
        BudgetedBuffer.ReadAsync(source, declaredLength, Limit, budget, "The body", () => Problems.PayloadTooLarge.Failure("too large"), CancellationToken.None);

    private static byte[] Bytes(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }
}
