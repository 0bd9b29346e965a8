using ImageClassifier.Scheduling;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Tests.Harness;

/// <summary>One set of CPU work threads for the tests that build the stages by hand, as the function has one set.</summary>
public static class TestCpuWorkers
{
    public static CpuWorkers Shared { get; } = new(Options.Create(new CpuWorkOptions()));
}
