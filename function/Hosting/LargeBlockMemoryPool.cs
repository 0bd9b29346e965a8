using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace ImageClassifier.Hosting;

/// <summary>
/// Kestrel's connection buffers in 64 KiB blocks instead of its own pool's 4 KiB. The socket
/// transport receives into one block at a time, so a 100 KB image took 25 reads, each a system
/// call and a pass through the pipe; most of an overloaded instance's CPU went to that loop
/// (bench/README.md, "Cheap refusals"). A connection holds a block from its first byte until the
/// block is read, so many connections sending a byte at a time could hold a large block each:
/// at most <see cref="LargeBlocksInUse"/> are lent at once (16 MiB), and beyond them a
/// connection gets a 4 KiB buffer from the shared pool, as it did from Kestrel's. Large blocks
/// are pinned, as Kestrel's own are, and at most <see cref="RetainedBlocks"/> idle ones are kept.
/// </summary>
internal sealed class LargeBlockMemoryPool : MemoryPool<byte>
{
    public const int BlockSize = 64 * 1024;

    /// <summary>Kestrel's own block size, lent once the large blocks are all out.</summary>
    public const int SmallBlockSize = 4 * 1024;

    /// <summary>16 MiB: two blocks for each of 128 connections sending at once.</summary>
    public const int LargeBlocksInUse = 256;

    /// <summary>4 MiB kept for reuse.</summary>
    public const int RetainedBlocks = 64;

    private readonly ConcurrentQueue<Block> idle = new();
    private int idleCount;
    private int lent;

    public override int MaxBufferSize => BlockSize;

    public int IdleBlocks => Volatile.Read(ref idleCount);

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        if (Interlocked.Increment(ref lent) > LargeBlocksInUse)
        {
            Interlocked.Decrement(ref lent);
            return Shared.Rent(Math.Max(minBufferSize, SmallBlockSize));
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
        idle.Clear();
        Volatile.Write(ref idleCount, 0);
    }

    private void Return(Block block)
    {
        Interlocked.Decrement(ref lent);
        if (Interlocked.Increment(ref idleCount) <= RetainedBlocks)
        {
            idle.Enqueue(block);
        }
        else
        {
            Interlocked.Decrement(ref idleCount);
        }
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
internal sealed class LargeBlockMemoryPoolFactory : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new LargeBlockMemoryPool();
}
