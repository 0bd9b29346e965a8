using ImageClassifier.Failures;

namespace ImageClassifier.Memory;

/// <summary>
/// Bytes read from a stream (a request body, a download) into memory that grows as the bytes
/// arrive, whatever length was declared, and is paid for from the memory budget at each growth.
/// The arrays come from the budget's pools (a power of two long, up to 8 MiB); the owner disposes
/// the buffer when it is done with the bytes, which gives both the memory and the budget back.
/// Toward a declared length it grows in steps that end on that length exactly, so a body larger
/// than the pools lend costs one array of its own size at the end, not one of the next power of two.
/// </summary>
public sealed class BudgetedBuffer : IDisposable
{
    private const int FirstBytes = 16 * 1024;

    private readonly MemoryBudget budget;
    private readonly List<MemoryLease> leases = [];
    private byte[] buffer = [];

    /// <summary>How much of the buffer is paid for and used: a pool may lend a longer array than was asked for.</summary>
    private int usable;
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
                if (read.length == read.usable)
                {
                    await read.GrowAsync(NextSize(read.usable, declaredLength, ceiling), purpose, cancellationToken);
                }

                var count = await source.ReadAsync(read.buffer.AsMemory(read.length, read.usable - read.length), cancellationToken);
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
        budget.Arrays.Return(buffer);
        buffer = [];
        foreach (var lease in leases)
        {
            lease.Dispose();
        }

        leases.Clear();
    }

    /// <summary>
    /// Twice <paramref name="current"/> at most, so that no more is ever reserved than twice what
    /// has arrived. While the declared length (and the byte that notices an excess) lies beyond
    /// that, the step is it halved as often as it takes to fit, which is more than
    /// <paramref name="current"/> and lands on it exactly at the last growth; a body longer than
    /// it declared grows by doubling from there.
    /// </summary>
    internal static int NextSize(int current, long? declaredLength, long ceiling)
    {
        var doubled = Math.Min(current * 2L, ceiling);
        if (declaredLength + 1 is not { } wanted || wanted <= current || wanted > ceiling)
        {
            return (int)doubled;
        }

        while (wanted > doubled)
        {
            wanted = (wanted + 1) / 2;
        }

        return (int)wanted;
    }

    /// <summary>
    /// Pays for what the larger buffer adds (all of it together must fit the budget), then moves
    /// the bytes across; the leases held add up to the buffer's size.
    /// </summary>
    private async Task GrowAsync(int size, string purpose, CancellationToken cancellationToken)
    {
        var paid = BodyArrayPool.LengthFor(size);
        budget.EnsureFits(charged - usable + paid, purpose);
        leases.Add(await budget.ReserveAsync(paid - usable, purpose, cancellationToken));
        charged += paid - usable;
        var grown = budget.Arrays.Rent(size);
        buffer.AsSpan(0, length).CopyTo(grown);
        budget.Arrays.Return(buffer);
        buffer = grown;
        usable = paid;
    }
}
