using System.Buffers;
using System.Runtime.CompilerServices;
using SixLabors.ImageSharp.Memory;

namespace ImageClassifier.Tests.Imaging;

/// <summary>An ImageSharp allocator that counts the bytes it has handed out and not yet had back, and the most at once.</summary>
internal sealed class CountingAllocator : MemoryAllocator
{
    private readonly MemoryAllocator inner = MemoryAllocator.Create();
    private long current;
    private long peak;

    public long Peak => Interlocked.Read(ref peak);

    public void Reset()
    {
        Interlocked.Exchange(ref current, 0);
        Interlocked.Exchange(ref peak, 0);
    }

    public override IMemoryOwner<T> Allocate<T>(int length, AllocationOptions options = AllocationOptions.None)
    {
        var size = (long)length * Unsafe.SizeOf<T>();
        var now = Interlocked.Add(ref current, size);
        long seen;
        while (now > (seen = Interlocked.Read(ref peak)) && Interlocked.CompareExchange(ref peak, now, seen) != seen)
        {
        }

        return new Counted<T>(inner.Allocate<T>(length, options), () => Interlocked.Add(ref current, -size));
    }

    public override void ReleaseRetainedResources() => inner.ReleaseRetainedResources();

    protected override int GetBufferCapacityInBytes() => int.MaxValue;

    private sealed class Counted<T>(IMemoryOwner<T> owner, Action released) : IMemoryOwner<T>
    {
        public Memory<T> Memory => owner.Memory;

        public void Dispose()
        {
            owner.Dispose();
            released();
        }
    }
}
