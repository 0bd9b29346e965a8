using System.Buffers;

namespace ImageClassifier.Imaging;

/// <summary>Floats rented from the shared pool for one request's tensors; dispose to give them back.</summary>
public sealed class TensorBuffer : IDisposable
{
    private readonly int length;
    private float[]? rented;

    public TensorBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        this.length = length;
        rented = ArrayPool<float>.Shared.Rent(length);
    }

    public Memory<float> Memory => (rented ?? throw new ObjectDisposedException(nameof(TensorBuffer))).AsMemory(0, length);

    public Span<float> Span => Memory.Span;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref rented, null) is { } buffer)
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }
}
