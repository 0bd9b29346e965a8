using System.Buffers;
using System.Reflection;
using System.Runtime.InteropServices;
using ImageClassifier.Hosting;
using ImageClassifier.Tests.Harness;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ImageClassifier.Tests.Hosting;

/// <summary>
/// Kestrel's connection buffers: 64 KiB blocks, so a 100 KB image arrives in two reads rather
/// than 25; a block given back is reused; only so many are lent at once, and beyond them a
/// connection gets 4 KiB, so that many connections holding a byte each cannot hold 64 KiB each;
/// idle blocks are kept while the recent peak may need them, and let go once it is past.
/// </summary>
public sealed class LargeBlockMemoryPoolTests
{
    [Fact]
    public async Task Kestrels_socket_transport_takes_its_buffers_from_the_large_block_pool()
    {
        await using var app = new FunctionApp();

        var factory = app.Services.GetRequiredService<IMemoryPoolFactory<byte>>();
        var transport = app.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value;

        // SocketTransportOptions.MemoryPoolFactory is internal: Kestrel sets it from the service above.
        var transportFactory = typeof(SocketTransportOptions)
            .GetProperty("MemoryPoolFactory", BindingFlags.Instance | BindingFlags.NonPublic)?.GetValue(transport);
        Assert.IsType<LargeBlockMemoryPoolFactory>(factory);
        Assert.Same(factory, transportFactory);
        using var pool = factory.Create();
        Assert.Equal(64 * 1024, pool.MaxBufferSize);
    }

    [Fact]
    public void Every_block_is_64_KiB_whatever_is_asked_and_more_is_refused()
    {
        using var pool = new LargeBlockMemoryPool(TimeProvider.System);

        using var small = pool.Rent(1);
        using var unspecified = pool.Rent();

        Assert.Equal(64 * 1024, small.Memory.Length);
        Assert.Equal(64 * 1024, unspecified.Memory.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent((64 * 1024) + 1));
    }

    [Fact]
    public void A_block_given_back_is_lent_again_and_giving_it_back_twice_lends_it_once()
    {
        using var pool = new LargeBlockMemoryPool(TimeProvider.System);
        var first = pool.Rent();
        var memory = first.Memory;

        first.Dispose();
        first.Dispose();
        using var again = pool.Rent();
        using var another = pool.Rent();

        Assert.True(again.Memory.Span.Overlaps(memory.Span), "The returned block was not lent again.");
        Assert.False(another.Memory.Span.Overlaps(memory.Span), "A block given back twice was lent twice.");
        Assert.Equal(0, pool.IdleBlocks);
    }

    [Fact]
    public void Every_block_given_back_during_a_flood_is_lent_again_rather_than_allocated_anew()
    {
        using var pool = new LargeBlockMemoryPool(new FakeTimeProvider());
        var flood = RentBlocks(pool, LargeBlockMemoryPool.LargeBlocksInUse);
        var arrays = flood.Select(ArrayOf).ToHashSet();

        flood.ForEach(block => block.Dispose());
        var again = RentBlocks(pool, LargeBlockMemoryPool.LargeBlocksInUse);

        Assert.Equal(0, pool.IdleBlocks);
        Assert.All(again, block => Assert.Contains(ArrayOf(block), arrays));
        again.ForEach(block => block.Dispose());
        Assert.Equal(LargeBlockMemoryPool.LargeBlocksInUse, pool.IdleBlocks);
    }

    [Fact]
    public void Idle_blocks_beyond_the_last_intervals_peak_are_let_go_at_each_trim()
    {
        var time = new FakeTimeProvider();
        using var pool = new LargeBlockMemoryPool(time);
        RentBlocks(pool, 200).ForEach(block => block.Dispose());

        time.Advance(LargeBlockMemoryPool.TrimInterval);
        Assert.Equal(200, pool.IdleBlocks);

        var steady = RentBlocks(pool, 50);
        steady.ForEach(block => block.Dispose());
        using var stillLent = pool.Rent();
        time.Advance(LargeBlockMemoryPool.TrimInterval);
        Assert.Equal(50 - 1, pool.IdleBlocks); // the interval's peak, less the block still lent

        time.Advance(LargeBlockMemoryPool.TrimInterval);
        Assert.Equal(0, pool.IdleBlocks);
    }

    [Fact]
    public void A_disposed_pool_trims_no_more()
    {
        var time = new FakeTimeProvider();
        var pool = new LargeBlockMemoryPool(time);
        var block = pool.Rent();

        pool.Dispose();
        block.Dispose();
        time.Advance(LargeBlockMemoryPool.TrimInterval);
        time.Advance(LargeBlockMemoryPool.TrimInterval);

        // Two trims would have let the block go: one for the interval it was lent in, one after.
        Assert.Equal(1, pool.IdleBlocks);
    }

    [Fact]
    public void Once_the_large_blocks_are_all_lent_a_connection_gets_4_KiB_and_large_again_when_one_comes_back()
    {
        using var pool = new LargeBlockMemoryPool(TimeProvider.System);
        var large = Enumerable.Range(0, LargeBlockMemoryPool.LargeBlocksInUse).Select(_ => pool.Rent()).ToList();

        using (var beyond = pool.Rent(LargeBlockMemoryPool.SmallBlockSize))
        {
            Assert.All(large, block => Assert.Equal(64 * 1024, block.Memory.Length));
            Assert.Equal(4 * 1024, beyond.Memory.Length);
        }

        large[0].Dispose();
        using var again = pool.Rent();
        Assert.Equal(64 * 1024, again.Memory.Length);
        large.Skip(1).ToList().ForEach(block => block.Dispose());
    }

    private static List<IMemoryOwner<byte>> RentBlocks(LargeBlockMemoryPool pool, int count) =>
        Enumerable.Range(0, count).Select(_ => pool.Rent()).ToList();

    private static byte[] ArrayOf(IMemoryOwner<byte> block) =>
        MemoryMarshal.TryGetArray<byte>(block.Memory, out var segment) ? segment.Array! : throw new InvalidOperationException("Not an array.");
}
