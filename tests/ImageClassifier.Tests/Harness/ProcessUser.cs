using System.Globalization;

namespace ImageClassifier.Tests.Harness;

/// <summary>Which user a process runs as, read from /proc as the kernel reports it.</summary>
public static class ProcessUser
{
    /// <summary>The user and group a container runs as when nothing better is at hand: nobody, nogroup.</summary>
    public const int Unprivileged = 65534;

    /// <summary>Whether the test host runs as root, which the kernel lets write anywhere whatever the permissions say.</summary>
    public static bool TestHostIsRoot => EffectiveUid(Environment.ProcessId) == 0;

    /// <summary>The effective uid of a process: the second of the four numbers on its status file's <c>Uid:</c> line.</summary>
    public static int EffectiveUid(int processId)
    {
        var line = File.ReadLines($"/proc/{processId}/status").Single(line => line.StartsWith("Uid:", StringComparison.Ordinal));
        return int.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[2], CultureInfo.InvariantCulture);
    }
}
