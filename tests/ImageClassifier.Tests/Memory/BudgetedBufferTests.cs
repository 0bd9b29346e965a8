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
    [InlineData(2_287_579, 4 * 1024 * 1024)]
    [InlineData(1_048_576, 2 * 1024 * 1024)]
    [InlineData(9_000_000, 9_000_001)]
    public async Task A_body_of_declared_length_is_charged_the_array_it_ends_in_a_pools_or_one_of_its_own_length(int length, int arrayLength)
    {
        var budget = services.GetRequiredService<MemoryBudget>();
        var bytes = Bytes(length);

        using (var body = await ReadAsync(new MemoryStream(bytes), length, budget))
        {
            Assert.True(body.Memory.Span.SequenceEqual(bytes));
        }

        // The budget counts each growth in 4 KiB pages; doubling past the pools would have charged up to twice the length.
        var peak = budget.TakePeakReserved();
        Assert.InRange(peak, arrayLength, arrayLength + (16 * 4096));
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

    [Fact]
    public async Task Every_byte_held_is_paid_for_even_when_the_pool_lends_a_longer_array_than_was_asked()
    {
        var budget = services.GetRequiredService<MemoryBudget>();

        // With every 64 KiB array out, the pool lends its next size up for one of 64 KiB.
        var taken = Enumerable.Range(0, 16).Select(_ => budget.Arrays.Rent(64 * 1024)).ToList();
        var bytes = Bytes(100_000);
        using (var body = await BudgetedBuffer.ReadAsync(
            new MemoryStream(bytes), declaredLength: null, Limit, budget, "The body", () => Problems.PayloadTooLarge.Failure("too large"), CancellationToken.None))
        {
            Assert.True(body.Memory.Span.SequenceEqual(bytes));
        }

        Assert.InRange(budget.TakePeakReserved(), bytes.Length, long.MaxValue);
        taken.ForEach(array => budget.Arrays.Return(array));
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
