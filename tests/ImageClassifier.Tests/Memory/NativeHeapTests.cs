using System.Runtime.InteropServices;
using ImageClassifier.Memory;
using Xunit;

namespace ImageClassifier.Tests.Memory;

/// <summary>
/// What the C heap does with a freed buffer once <see cref="NativeHeap"/> has set it up, seen in
/// the page faults of touching a buffer of the same size again, counted for this thread alone: a
/// buffer reused from the heap faults no page in, one given back to the kernel faults all of them.
/// </summary>
public sealed class NativeHeapTests
{
    private const int PageBytes = 4096;

    [Fact]
    public void A_photo_sized_buffer_is_reused_from_the_heap_without_faulting_its_pages_in_again()
    {
        Assert.True(NativeHeap.ReturnLargeFreesToTheKernel());
        const int bytes = 2 * 1024 * 1024;
        TouchAndFree(bytes);

        var faults = TouchAndFree(bytes);

        Assert.True(faults < bytes / PageBytes / 8, $"touching a freed 2 MiB buffer's size again faulted {faults} pages in");
    }

    [Fact]
    public void A_buffer_over_the_threshold_goes_back_to_the_kernel_when_freed()
    {
        Assert.True(NativeHeap.ReturnLargeFreesToTheKernel());
        const int bytes = 16 * 1024 * 1024;
        TouchAndFree(bytes);

        var faults = TouchAndFree(bytes);

        Assert.True(faults > bytes / PageBytes / 2, $"touching a freed 16 MiB buffer's size again faulted only {faults} pages in");
    }

    /// <summary>Allocates with malloc, writes every page, frees; the minor faults this thread took meanwhile.</summary>
    private static long TouchAndFree(int bytes)
    {
        var before = ThreadMinorFaults();
        var block = Marshal.AllocHGlobal(bytes);
        try
        {
            for (var at = 0; at < bytes; at += PageBytes)
            {
                Marshal.WriteByte(block, at, 1);
            }
        }
        finally
        {
            Marshal.FreeHGlobal(block);
        }

        return ThreadMinorFaults() - before;
    }

    /// <summary>minflt, the tenth field of /proc/thread-self/stat (counted after the command's closing parenthesis).</summary>
    private static long ThreadMinorFaults()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[7], System.Globalization.CultureInfo.InvariantCulture);
    }
}
