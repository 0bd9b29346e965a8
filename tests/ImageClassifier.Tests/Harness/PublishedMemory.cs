using System.Globalization;
using ImageClassifier.Tests.Config;

namespace ImageClassifier.Tests.Harness;

/// <summary>What the published process may hold, and the most it held.</summary>
internal static class PublishedMemory
{
    /// <summary>The memory limit config/service.yaml gives the container.</summary>
    public static long ManifestLimit()
    {
        var limit = Manifests.ServiceContainer(Yaml.Load(Manifests.Service)).Text("resources.limits.memory");
        Assert.EndsWith("Mi", limit, StringComparison.Ordinal);
        return long.Parse(limit[..^2], CultureInfo.InvariantCulture) * 1024 * 1024;
    }

    /// <summary>The highest resident set the kernel saw for the process (VmHWM).</summary>
    public static long PeakResidentBytes(int processId)
    {
        var line = File.ReadLines($"/proc/{processId}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }
}
