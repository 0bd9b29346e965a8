using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace ImageClassifier.Hosting;

/// <summary>
/// Kestrel's connection buffers in 64 KiB blocks instead of its own pool's 4 KiB. The socket
/// transport receives into one block at a time, so a 100 KB image took 25 reads, each a system
/// call and a pass through the pipe; most of an overloaded instance's CPU went to that loop
/// (bench/HISTORY.md, "Cheap refusals"). A connection holds a block from its first byte until the
/// block is read, so many connections sending a byte at a time could hold a large block each:
/// at most <see cref="LargeBlocksInUse"/> are lent at once (16 MiB), and beyond them a
/// connection gets a 4 KiB buffer from the shared pool, as it did from Kestrel's. Large blocks
/// are pinned, as Kestrel's own are, so they live on the pinned object heap, which only a full
/// collection frees: a block given back is kept while it may be needed again, and idle blocks
/// beyond the most lent at once in the last <see cref="TrimInterval"/> are let go.
/// </summary>
internal sealed class LargeBlockMemoryPool : MemoryPool<byte>
{
    public const int BlockSize = 64 * 1024;

    /// <summary>Kestrel's own block size, lent once the large blocks are all out.</summary>
    public const int SmallBlockSize = 4 * 1024;

    /// <summary>16 MiB: two blocks for each of 128 connections sending at once.</summary>
    public const int LargeBlocksInUse = 256;

    /// <summary>How often idle blocks beyond recent demand are let go.</summary>
    public static readonly TimeSpan TrimInterval = TimeSpan.FromSeconds(10);

    private readonly ConcurrentQueue<Block> idle = new();
    private readonly ITimer trimTimer;
    private int idleCount;
    private int lent;
    private int peakLent;

    public LargeBlockMemoryPool(TimeProvider timeProvider)
    {
        trimTimer = timeProvider.CreateTimer(static pool => ((LargeBlockMemoryPool)pool!).Trim(), this, TrimInterval, TrimInterval);
    }

    public override int MaxBufferSize => BlockSize;

    public int IdleBlocks => Volatile.Read(ref idleCount);

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        var lentNow = Interlocked.Increment(ref lent);
        if (lentNow > LargeBlocksInUse)
        {
            Interlocked.Decrement(ref lent);
            return Shared.Rent(Math.Max(minBufferSize, SmallBlockSize));
        }

        for (var peak = Volatile.Read(ref peakLent); lentNow > peak; peak = Volatile.Read(ref peakLent))
        {
            if (Interlocked.CompareExchange(ref peakLent, lentNow, peak) == peak)
            {
                break;
            }
        }

        if (idle.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref idleCount);
            block.Rented();
            return block;
        }

        return new Block(this);
    }

    protected override void Dispose(bool disposing)
    {
        trimTimer.Dispose();
        idle.Clear();
        Volatile.Write(ref idleCount, 0);
    }

    /// <summary>
    /// Keeps as many idle blocks as were lent at the interval's peak and are not lent now. Under
    /// a steady flood that is every block, so none is dropped and allocated again, each drop a
    /// step towards a full collection; once the flood is over, the next two trims let them all go.
    /// </summary>
    private void Trim()
    {
        var lentNow = Volatile.Read(ref lent);
        var keep = Interlocked.Exchange(ref peakLent, lentNow) - lentNow;
        while (Volatile.Read(ref idleCount) > keep && idle.TryDequeue(out _))
        {
            Interlocked.Decrement(ref idleCount);
        }
    }

    /// <summary>
    /// Every block is kept: a block is only made while fewer than <see cref="LargeBlocksInUse"/>
    /// are lent and none is idle, so there are about that many at most.
    /// </summary>
    private void Return(Block block)
    {
        Interlocked.Decrement(ref lent);
        Interlocked.Increment(ref idleCount);
        idle.Enqueue(block);
    }

    private sealed class Block(LargeBlockMemoryPool pool) : IMemoryOwner<byte>
    {
        private readonly byte[] array = GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true);
        private int returned;

        public Memory<byte> Memory => array;

        public void Rented() => Volatile.Write(ref returned, 0);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref returned, 1) == 0)
            {
                pool.Return(this);
            }
        }
    }
}

/// <summary>What Kestrel asks for a pool: its socket transport takes the factory from dependency injection.</summary>
internal sealed class LargeBlockMemoryPoolFactory(TimeProvider timeProvider) : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new LargeBlockMemoryPool(timeProvider);
}
