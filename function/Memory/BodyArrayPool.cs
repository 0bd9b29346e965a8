using System.Buffers;
using System.Numerics;

namespace ImageClassifier.Memory;

/// <summary>
/// Arrays for request bodies and downloads, a power of two long up to <see cref="LargestArrayBytes"/>
/// and reused: up to <see cref="SmallArrayBytes"/> from a pool of sixteen of each length, for many
/// small bodies at once; above it, a photo's, two of each length are kept. Larger arrays are left
/// to the GC. A photo's array is exactly the length asked for (rounded up), never a larger one lent
/// in its place, and is not zeroed: only the bytes read into it are ever shown.
/// </summary>
/// <remarks>
/// Left to the GC, a stream of photos kept its background collections marking the heap for the
/// dead arrays (3 % of the CPU on 12 MP photos; bench/README.md, "Photo bodies from a pool"). The
/// photos' arrays kept idle, at most 28 MiB, are memory the budget does not count, less than the
/// GC held dead between its collections.
/// </remarks>
internal sealed class BodyArrayPool : ArrayPool<byte>
{
    public const int SmallArrayBytes = 1024 * 1024;
    public const int LargestArrayBytes = 8 * 1024 * 1024;
    private const int SmallArraysKept = 16;
    private const int LargeArraysKept = 2;
    private const int FirstLargeShift = 21;

    private readonly ArrayPool<byte> small = Create(SmallArrayBytes, SmallArraysKept);
    private readonly Kept[] large = [new(), new(), new()];

    /// <summary>How long the array <see cref="Rent"/> lends for <paramref name="minimumLength"/> is, at least.</summary>
    public static int LengthFor(int minimumLength) =>
        minimumLength is > 0 and <= LargestArrayBytes ? (int)BitOperations.RoundUpToPowerOf2((uint)minimumLength) : minimumLength;

    public override byte[] Rent(int minimumLength)
    {
        if (minimumLength <= SmallArrayBytes)
        {
            return small.Rent(minimumLength);
        }

        var length = LengthFor(minimumLength);
        return minimumLength <= LargestArrayBytes && large[LargeIndex(length)].TryTake(out var array)
            ? array
            : GC.AllocateUninitializedArray<byte>(length);
    }

    public override void Return(byte[] array, bool clearArray = false)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (array.Length is > 0 and <= SmallArrayBytes)
        {
            small.Return(array, clearArray);
        }
        else if (array.Length <= LargestArrayBytes && BitOperations.IsPow2(array.Length))
        {
            if (clearArray)
            {
                Array.Clear(array);
            }

            large[LargeIndex(array.Length)].Keep(array);
        }
    }

    private static int LargeIndex(int length) => BitOperations.Log2((uint)length) - FirstLargeShift;

    /// <summary>Up to <see cref="LargeArraysKept"/> arrays of one length.</summary>
    private sealed class Kept
    {
        private readonly Lock gate = new();
        private readonly Stack<byte[]> arrays = new(LargeArraysKept);

        public bool TryTake(out byte[] array)
        {
            lock (gate)
            {
                return arrays.TryPop(out array!);
            }
        }

        public void Keep(byte[] array)
        {
            lock (gate)
            {
                if (arrays.Count < LargeArraysKept)
                {
                    arrays.Push(array);
                }
            }
        }
    }
}
