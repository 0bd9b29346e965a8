using System.Runtime.InteropServices;

namespace ImageClassifier.Memory;

/// <summary>
/// glibc's malloc raises its mmap threshold after each large free (up to 32 MiB), after which the
/// decoder's large buffers come from the heap and, once freed, stay in the process instead of
/// going back to the kernel. Measured under a storm of decompression bombs, the resident set
/// climbed to 470 MB with only 140 MB of decoding paid for at any moment, and stayed there; with
/// the threshold fixed it peaked at 300 MB (bench/HISTORY.md, "Decode memory"). Fixing it keeps the
/// memory budget true to what the kernel counts.
/// </summary>
internal static partial class NativeHeap
{
    /// <summary>glibc's M_MMAP_THRESHOLD.</summary>
    private const int MmapThresholdParameter = -3;

    /// <summary>glibc's own default: anything larger is mapped, and unmapped when freed.</summary>
    private const int MmapThresholdBytes = 128 * 1024;

    /// <summary>True when the C library took the setting (glibc on Linux); elsewhere nothing is changed.</summary>
    public static bool ReturnLargeFreesToTheKernel()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return MallocOption(MmapThresholdParameter, MmapThresholdBytes) == 1;
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (musl has no such option): its malloc maps large buffers anyway.
            return false;
        }
    }

    /// <summary>
    /// Gives the C heap's free pages back to the kernel, after a swapped-out model's session is
    /// closed; a no-op where there is no glibc. Twelve swaps of the two models without traffic,
    /// measured: 72 → 96 MiB with glibc's defaults, 71 → 75 MiB with the mmap threshold fixed,
    /// 70 → 74 MiB with this as well.
    /// </summary>
    public static void Trim()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            // musl (Alpine) has no malloc_trim; its allocator unmaps freed memory itself.
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int MallocOption(int parameter, int value);

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
