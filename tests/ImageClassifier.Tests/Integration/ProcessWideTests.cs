namespace ImageClassifier.Tests.Integration;

/// <summary>
/// Tests that measure the whole process (its memory, its logs under a burst) run alone, after
/// the parallel ones, so that no other test's work is counted in theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideTests
{
    public const string Name = "Isolated: measures the whole process";
}
