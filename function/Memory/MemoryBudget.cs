using System.Buffers;
using System.Threading.RateLimiting;
using ImageClassifier.Failures;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Memory;

/// <summary>
/// The process-wide budget that every large buffer of a request is paid from, whichever entry
/// point it came by: request bodies and downloads as they grow, and each decode, charged from the
/// image's header before a pixel is decoded. The budget is the container's memory limit less what
/// the process holds once the model is loaded (less a reserve for what is not charged), so that
/// under full concurrency the process stays inside its limit. A reservation waits its turn (oldest
/// first) for at most MEMORY_WAIT_SECONDS, then is refused with 503; one larger than the whole
/// budget is refused at once with 413.
/// </summary>
public sealed class MemoryBudget : IDisposable
{
    /// <summary>Permits are pages, so that a budget of terabytes fits the limiter's int.</summary>
    private const int PageBytes = 4096;

    /// <summary>
    /// Kept out of the budget for what is not charged to it: the GC's headroom and small
    /// allocations, thread stacks, ONNX Runtime's activations, the server's own buffers.
    /// </summary>
    private const double ReservedShareOfLimit = 0.2;

    private const long MinimumReserved = 64L * 1024 * 1024;

    private readonly IOptions<MemoryOptions> options;
    private readonly MemoryMetrics metrics;
    private readonly ILogger<MemoryBudget> logger;
    private readonly Lazy<ConcurrencyLimiter> limiter;
    private long capacity;
    private long reserved;
    private long peak;

    public MemoryBudget(IOptions<MemoryOptions> options, MemoryMetrics metrics, ILogger<MemoryBudget> logger)
    {
        this.options = options;
        this.metrics = metrics;
        this.logger = logger;
        limiter = new Lazy<ConcurrencyLimiter>(Open);
        metrics.Observe(() => Capacity, () => Reserved);
        if (!NativeHeap.ReturnLargeFreesToTheKernel())
        {
            logger.LogWarning("The C library's malloc could not be told to return large freed buffers to the kernel: the resident set may exceed the memory budget");
        }
    }

    /// <summary>Arrays for request bodies and downloads, reused up to a photo's size.</summary>
    public ArrayPool<byte> Arrays { get; } = new BodyArrayPool();

    /// <summary>The whole budget in bytes; 0 until it is first used (when the model is loaded, the baseline is known).</summary>
    public long Capacity => Interlocked.Read(ref capacity);

    /// <summary>Bytes reserved now.</summary>
    public long Reserved => Interlocked.Read(ref reserved);

    /// <summary>
    /// The most bytes reserved at once since the last call (or since the start), then counts again
    /// from what is reserved now: what a piece of work was charged, for comparing with what it took.
    /// </summary>
    public long TakePeakReserved() => Interlocked.Exchange(ref peak, Reserved);

    /// <summary>
    /// Reserves <paramref name="bytes"/> for <paramref name="purpose"/> (named in a refusal), until
    /// the lease is disposed. Throws <see cref="ClassificationException"/>: 413 when more than the
    /// whole budget is asked for, 503 when the memory is not free within MEMORY_WAIT_SECONDS.
    /// </summary>
    public async ValueTask<MemoryLease> ReserveAsync(long bytes, string purpose, CancellationToken cancellationToken)
    {
        var pages = (int)Math.Max(1, (bytes + PageBytes - 1) / PageBytes);
        var gate = limiter.Value;
        EnsureFits((long)pages * PageBytes, purpose);

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(options.Value.Wait);
        RateLimitLease lease;
        try
        {
            lease = await gate.AcquireAsync(pages, wait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            metrics.RecordRefused(MemoryMetrics.Reasons.Busy);
            throw Problems.MemoryBusy.Failure("The function's memory is taken by other requests; retry shortly.");
        }

        if (!lease.IsAcquired)
        {
            lease.Dispose();
            metrics.RecordRefused(MemoryMetrics.Reasons.Busy);
            throw Problems.MemoryBusy.Failure("The function's memory is taken by other requests; retry shortly.");
        }

        var charged = (long)pages * PageBytes;
        var now = Interlocked.Add(ref reserved, charged);
        for (var seen = Interlocked.Read(ref peak); now > seen; seen = Interlocked.Read(ref peak))
        {
            if (Interlocked.CompareExchange(ref peak, now, seen) == seen)
            {
                break;
            }
        }

        return new MemoryLease(lease, () => Interlocked.Add(ref reserved, -charged));
    }

    /// <summary>
    /// Refuses at once (413) what could never be had, however long it waited: more than the whole
    /// budget, such as <paramref name="bytes"/> in all for a buffer that grows by parts.
    /// </summary>
    public void EnsureFits(long bytes, string purpose)
    {
        _ = limiter.Value;
        if (bytes > Capacity)
        {
            metrics.RecordRefused(MemoryMetrics.Reasons.TooLarge);
            throw Problems.TooLargeForMemory.Failure(
                $"{purpose} needs {bytes} bytes, more than the function's whole memory budget of {Capacity} bytes.");
        }
    }

    public void Dispose()
    {
        if (limiter.IsValueCreated)
        {
            limiter.Value.Dispose();
        }
    }

    private ConcurrencyLimiter Open()
    {
        var settings = options.Value;
        long budget;
        if (settings.BudgetBytes is { } chosen)
        {
            budget = chosen;
            logger.LogInformation("Memory budget: {Budget} bytes, as MEMORY_BUDGET_BYTES sets it", budget);
        }
        else
        {
            var cgroup = ContainerMemory.CgroupLimit();
            var limit = cgroup ?? settings.LimitBytes;
            var baseline = ContainerMemory.ResidentBytes();
            var held = Math.Max(MinimumReserved, (long)(limit * ReservedShareOfLimit));
            budget = Math.Max(PageBytes, limit - baseline - held);
            logger.LogInformation(
                "Memory budget: {Budget} bytes = the limit of {Limit} bytes ({Source}) less {Baseline} bytes held with the model loaded and {Reserved} kept free",
                budget, limit, cgroup is null ? "MEMORY_LIMIT_BYTES" : "the cgroup's memory limit", baseline, held);
        }

        Interlocked.Exchange(ref capacity, budget / PageBytes * PageBytes);
        return new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = (int)Math.Min(int.MaxValue, budget / PageBytes),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }
}
