using System.Numerics;
using ImageClassifier.Failures;

namespace ImageClassifier.Memory;

/// <summary>
/// Bytes read from a stream (a request body, a download) into memory that grows as the bytes
/// arrive, whatever length was declared, and is paid for from the memory budget at each growth.
/// Buffers up to a megabyte come from the budget's small pool; the owner disposes the buffer
/// when it is done with the bytes, which gives both the memory and the budget back.
/// </summary>
public sealed class BudgetedBuffer : IDisposable
{
    private const int FirstBytes = 16 * 1024;

    private readonly MemoryBudget budget;
    private readonly List<MemoryLease> leases = [];
    private byte[] buffer = [];
    private long charged;
    private int length;
    private bool disposed;

    private BudgetedBuffer(MemoryBudget budget) => this.budget = budget;

    public ReadOnlyMemory<byte> Memory => disposed ? throw new ObjectDisposedException(nameof(BudgetedBuffer)) : buffer.AsMemory(0, length);

    public int Length => length;

    /// <summary>
    /// Reads <paramref name="source"/> to its end. More than <paramref name="limit"/> bytes throws
    /// <paramref name="tooLarge"/>'s failure as soon as the excess arrives; memory the budget cannot
    /// give throws its refusal (503, or 413 beyond the whole budget).
    /// </summary>
    public static async Task<BudgetedBuffer> ReadAsync(
        Stream source, long? declaredLength, int limit, MemoryBudget budget, string purpose, Func<ClassificationException> tooLarge, CancellationToken cancellationToken)
    {
        var read = new BudgetedBuffer(budget);
        try
        {
            // Room for one byte more than the limit, to notice the excess; never more than was declared to start with.
            var ceiling = limit + 1L;
            await read.GrowAsync((int)Math.Min(Math.Min(declaredLength + 1 ?? FirstBytes, FirstBytes * 4L), ceiling), purpose, cancellationToken);
            while (true)
            {
                if (read.length == read.buffer.Length)
                {
                    await read.GrowAsync((int)Math.Min(read.buffer.Length * 2L, ceiling), purpose, cancellationToken);
                }

                var count = await source.ReadAsync(read.buffer.AsMemory(read.length), cancellationToken);
                if (count == 0)
                {
                    return read;
                }

                read.length += count;
                if (read.length > limit)
                {
                    throw tooLarge();
                }
            }
        }
        catch
        {
            read.Dispose();
            throw;
        }
    }

    /// <summary>Pays for <paramref name="bytes"/> more that the owner's use of these bytes will take (such as decoding them), until disposal.</summary>
    public async Task ChargeAsync(long bytes, string purpose, CancellationToken cancellationToken)
    {
        budget.EnsureFits(charged + bytes, purpose);
        leases.Add(await budget.ReserveAsync(bytes, purpose, cancellationToken));
        charged += bytes;
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        Return(buffer);
        buffer = [];
        foreach (var lease in leases)
        {
            lease.Dispose();
        }

        leases.Clear();
    }

    /// <summary>
    /// Pays for what the larger buffer adds (all of it together must fit the budget), then moves
    /// the bytes across; the leases held add up to the buffer's size.
    /// </summary>
    private async Task GrowAsync(int size, string purpose, CancellationToken cancellationToken)
    {
        // The pool hands out its arrays in powers of two; larger ones are allocated to the size.
        long paid = size <= MemoryBudget.PooledArrayBytes ? BitOperations.RoundUpToPowerOf2((uint)size) : size;
        budget.EnsureFits(charged - buffer.Length + paid, purpose);
        leases.Add(await budget.ReserveAsync(paid - buffer.Length, purpose, cancellationToken));
        charged += paid - buffer.Length;
        var grown = budget.Arrays.Rent(size);
        buffer.AsSpan(0, length).CopyTo(grown);
        Return(buffer);
        buffer = grown;
    }

    private void Return(byte[] array)
    {
        if (array.Length > 0)
        {
            budget.Arrays.Return(array);
        }
    }
}
