using System.Globalization;

namespace ImageClassifier.Memory;

/// <summary>What the container allows and what the process holds, read from the kernel.</summary>
internal static class ContainerMemory
{
    /// <summary>cgroup v2's limit of this container, then cgroup v1's; "max" or a v1 "unlimited" page-rounded int64 means none.</summary>
    private static readonly string[] LimitFiles = ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"];

    /// <summary>Anything this large is the kernel's way of saying "no limit".</summary>
    private const long Unlimited = 1L << 60;

    /// <summary>The cgroup's memory limit, or null when the process has none.</summary>
    public static long? CgroupLimit()
    {
        foreach (var file in LimitFiles)
        {
            if (File.Exists(file)
                && long.TryParse(File.ReadAllText(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var limit)
                && limit < Unlimited)
            {
                return limit;
            }
        }

        return null;
    }

    /// <summary>The process's resident set now (what the kernel counts against the limit).</summary>
    public static long ResidentBytes() => Environment.WorkingSet;
}
