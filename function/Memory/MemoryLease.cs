using System.Threading.RateLimiting;

namespace ImageClassifier.Memory;

/// <summary>Memory reserved from the budget; disposing it gives the memory back (once).</summary>
public sealed class MemoryLease : IDisposable
{
    private RateLimitLease? lease;
    private Action? released;

    internal MemoryLease(RateLimitLease lease, Action released)
    {
        this.lease = lease;
        this.released = released;
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref lease, null)?.Dispose();
        Interlocked.Exchange(ref released, null)?.Invoke();
    }
}
