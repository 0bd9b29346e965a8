using ImageClassifier.Failures;
using ImageClassifier.Memory;
using ImageClassifier.Tests.Harness;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ImageClassifier.Tests.Memory;

/// <summary>The process-wide memory budget: what it holds, who waits, who is refused, and with which problem.</summary>
public sealed class MemoryBudgetTests : IDisposable
{
    private const long MiB = 1024 * 1024;

    private ServiceProvider services = null!;

    public void Dispose() => services.Dispose();

    [Fact]
    public async Task More_than_the_whole_budget_is_refused_at_once_with_413_naming_what_asked()
    {
        var budget = Budget(budgetBytes: 8 * MiB);
        using var counters = new CounterRecorder(services);

        var failure = await Assert.ThrowsAsync<ClassificationException>(() => budget.ReserveAsync(9 * MiB, "Decoding the huge image", CancellationToken.None).AsTask());

        Assert.Equal(Problems.TooLargeForMemory, failure.Type);
        Assert.StartsWith("Decoding the huge image needs 9437184 bytes", failure.Message, StringComparison.Ordinal);
        Assert.Equal(1, counters.Total("imageclassifier.memory.refused", MemoryMetrics.Reasons.TooLarge));
    }

    [Fact]
    public async Task A_reservation_waits_for_memory_another_holds_and_gets_it_once_released()
    {
        var budget = Budget(budgetBytes: 8 * MiB, waitSeconds: 30);
        var first = await budget.ReserveAsync(6 * MiB, "first", CancellationToken.None);

        var second = budget.ReserveAsync(6 * MiB, "second", CancellationToken.None).AsTask();
        Assert.False(second.IsCompleted);
        Assert.Equal(6 * MiB, budget.Reserved);

        first.Dispose();
        using var granted = await second;
        Assert.Equal(6 * MiB, budget.Reserved);
    }

    [Fact]
    public async Task Memory_not_freed_within_the_wait_is_503_memory_busy_and_nothing_is_kept()
    {
        var budget = Budget(budgetBytes: 8 * MiB, waitSeconds: 1);
        using var counters = new CounterRecorder(services);
        using var held = await budget.ReserveAsync(6 * MiB, "first", CancellationToken.None);

        var failure = await Assert.ThrowsAsync<ClassificationException>(() => budget.ReserveAsync(6 * MiB, "second", CancellationToken.None).AsTask());

        Assert.Equal(Problems.MemoryBusy, failure.Type);
        Assert.True(failure.Type.CarriesRetryAfter);
        Assert.Equal(6 * MiB, budget.Reserved);
        Assert.Equal(1, counters.Total("imageclassifier.memory.refused", MemoryMetrics.Reasons.Busy));
    }

    [Fact]
    public async Task A_caller_that_goes_away_while_waiting_gives_up_its_place()
    {
        var budget = Budget(budgetBytes: 8 * MiB, waitSeconds: 30);
        using var held = await budget.ReserveAsync(6 * MiB, "first", CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var waiting = budget.ReserveAsync(6 * MiB, "second", cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        using var small = await budget.ReserveAsync(2 * MiB, "third", CancellationToken.None);
        Assert.Equal(8 * MiB, budget.Reserved);
    }

    [Fact]
    public async Task Disposing_a_lease_twice_gives_the_memory_back_once()
    {
        var budget = Budget(budgetBytes: 8 * MiB);
        var lease = await budget.ReserveAsync(4 * MiB, "first", CancellationToken.None);
        using var other = await budget.ReserveAsync(2 * MiB, "second", CancellationToken.None);

        lease.Dispose();
        lease.Dispose();

        Assert.Equal(2 * MiB, budget.Reserved);
    }

    [Fact]
    public async Task The_peak_is_the_most_reserved_at_once_since_it_was_last_taken()
    {
        var budget = Budget(budgetBytes: 8 * MiB);
        using var held = await budget.ReserveAsync(1 * MiB, "held", CancellationToken.None);
        using (await budget.ReserveAsync(3 * MiB, "released", CancellationToken.None))
        {
        }

        using var later = await budget.ReserveAsync(2 * MiB, "later", CancellationToken.None);

        Assert.Equal(4 * MiB, budget.TakePeakReserved());
        Assert.Equal(3 * MiB, budget.TakePeakReserved());
    }

    [Fact]
    public async Task Without_a_chosen_budget_it_is_the_limit_less_what_the_process_holds_and_a_fifth()
    {
        const long Limit = 64L * 1024 * MiB;
        var budget = Budget(limitBytes: Limit);
        var before = Environment.WorkingSet;

        using (await budget.ReserveAsync(1, "first", CancellationToken.None))
        {
        }

        var after = Environment.WorkingSet;
        var limit = ContainerMemory.CgroupLimit() ?? Limit;
        var kept = Math.Max(64 * MiB, (long)(limit * 0.2));
        Assert.InRange(budget.Capacity, limit - kept - Math.Max(before, after) - (64 * MiB), limit - kept - Math.Min(before, after) + (64 * MiB));
    }

    private MemoryBudget Budget(long? budgetBytes = null, int waitSeconds = 5, long limitBytes = 512 * MiB)
    {
        var settings = new Dictionary<string, string?>
        {
            ["MEMORY_LIMIT_BYTES"] = limitBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["MEMORY_WAIT_SECONDS"] = waitSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["MEMORY_BUDGET_BYTES"] = budgetBytes?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        services = new ServiceCollection()
            .AddLogging()
            .AddMemoryBudget(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();
        return services.GetRequiredService<MemoryBudget>();
    }
}
