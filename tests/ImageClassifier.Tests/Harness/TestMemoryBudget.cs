using System.Globalization;

namespace ImageClassifier.Tests.Harness;

/// <summary>
/// The memory budget every test host and every set of the function's services runs with, unless a
/// test is about the budget itself. The test host holds many apps at once, so its resident set
/// says nothing of one function's baseline; 1 GiB is room enough that no test is refused for
/// another's allocations.
/// </summary>
public static class TestMemoryBudget
{
    public const long Bytes = 1L << 30;

    /// <summary>The budget as <c>MEMORY_BUDGET_BYTES</c>, to put among a configuration's settings.</summary>
    public static KeyValuePair<string, string?> Setting { get; } = new("MEMORY_BUDGET_BYTES", Bytes.ToString(CultureInfo.InvariantCulture));
}
