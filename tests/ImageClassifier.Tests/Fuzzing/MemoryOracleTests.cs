using System.Runtime.InteropServices;
using ImageClassifier.Fuzzing;
using ImageClassifier.Memory;
using ImageClassifier.Tests.Integration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ImageClassifier.Tests.Fuzzing;

/// <summary>
/// The fuzzing targets' memory oracle sees native memory the GC does not, and compares it with
/// what the run was charged: memory taken without paying fails it, the same memory paid for
/// passes. It measures the whole process, so it runs alone.
/// </summary>
[Collection(ProcessWideTests.Name)]
public sealed class MemoryOracleTests : IDisposable
{
    private const long MiB = 1024 * 1024;

    /// <summary>Well past the oracle's slack, as an uncharged decoder buffer would be.</summary>
    private const long Taken = 4 * MemoryOracle.SlackBytes;

    private readonly ServiceProvider services = new ServiceCollection()
        .AddLogging()
        .AddMemoryBudget(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["MEMORY_BUDGET_BYTES"] = (256 * MiB).ToString(System.Globalization.CultureInfo.InvariantCulture) })
            .Build())
        .BuildServiceProvider();

    public void Dispose() => services.Dispose();

    [Fact]
    public void Native_memory_taken_without_a_charge_fails_the_oracle()
    {
        var oracle = new MemoryOracle(services.GetRequiredService<MemoryBudget>());
        Settle();

        var use = oracle.Measure(() =>
        {
            TakeNative(Taken);
            return "taken";
        });

        Assert.Equal(0, use.ChargedBytes);
        Assert.True(use.GrownBytes > Taken - MemoryOracle.SlackBytes, use.ToString());
        Assert.True(use.Exceeds, use.ToString());
    }

    [Fact]
    public async Task The_same_memory_paid_for_from_the_budget_passes()
    {
        var budget = services.GetRequiredService<MemoryBudget>();
        var oracle = new MemoryOracle(budget);
        Settle();

        var running = oracle.Start();
        using (await budget.ReserveAsync(Taken, "the test's buffer", CancellationToken.None))
        {
            TakeNative(Taken);
        }

        var use = running.Stop("taken");
        Assert.Equal(Taken, use.ChargedBytes);
        Assert.True(use.GrownBytes > Taken - MemoryOracle.SlackBytes, use.ToString());
        Assert.False(use.Exceeds, use.ToString());
    }

    /// <summary>
    /// Collects and gives back the garbage earlier tests in this process left, at once: memory the
    /// GC returned during the run would hide part of what the run took from the resident set.
    /// </summary>
    private static void Settle() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    /// <summary>Allocates <paramref name="bytes"/> outside the GC, writes every page so the kernel counts it, and frees it.</summary>
    private static void TakeNative(long bytes)
    {
        var memory = Marshal.AllocHGlobal((nint)bytes);
        try
        {
            for (var page = 0; page < bytes; page += Environment.SystemPageSize)
            {
                Marshal.WriteByte(memory, page, 1);
            }
        }
        finally
        {
            Marshal.FreeHGlobal(memory);
        }
    }
}
