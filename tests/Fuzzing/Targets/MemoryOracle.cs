using System.Globalization;
using ImageClassifier.Memory;

namespace ImageClassifier.Fuzzing;

/// <summary>
/// Fails an input whose run grows the process's resident set by more than
/// <see cref="AllowedMultiple"/> times what it was charged plus <see cref="SlackBytes"/>: a decode
/// or a parse that takes more than it paid the memory budget for. The charge is the most the run
/// had reserved from the budget at once (a request's body and what its reading charged, an
/// image's planned decode). The growth is the kernel's peak resident set (VmHWM), reset before the
/// run, less the resident set then, so the native decoder's memory counts, which the GC's
/// counters cannot see. Process-wide: only for a process that runs one input at a time.
/// </summary>
internal sealed class MemoryOracle(MemoryBudget budget)
{
    /// <summary>
    /// The decode plan counts the decoder's buffers exactly, so a correct charge is close to 1×;
    /// 2× leaves room for the allocator's and the kernel's rounding, and is still far below what
    /// an uncharged full-size decode takes (up to 64× the charge of a JPEG decoded at an eighth).
    /// </summary>
    public const double AllowedMultiple = 2;

    /// <summary>
    /// What a run may take that is never charged: the 0.6 MB tensor, the resize's rows, garbage
    /// not yet collected, code compiled or paged in for a path seen the first time, a worker
    /// thread's stack.
    /// </summary>
    public const long SlackBytes = 8L * 1024 * 1024;

    /// <summary>Writing 5 to it resets the peak resident set to the current one (Linux 4.0 and later).</summary>
    private const string ClearRefs = "/proc/self/clear_refs";

    private const string Status = "/proc/self/status";

    /// <summary>
    /// Runs <paramref name="run"/> and returns what it was charged and how much the resident set
    /// grew. A run over the limit is run again and the smaller growth kept: what only the first
    /// run of a path costs (compiling its code, paging in the decoder's) is not the input's doing,
    /// while a decode that takes more than it paid for does so every time.
    /// </summary>
    public MemoryUse Measure(Func<string> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var first = MeasureOnce(run);
        if (!first.Exceeds)
        {
            return first;
        }

        var second = MeasureOnce(run);
        return second.GrownBytes < first.GrownBytes ? second : first;
    }

    /// <summary>Starts measuring one run, for a caller that runs it itself (asynchronously).</summary>
    public Running Start()
    {
        File.WriteAllText(ClearRefs, "5");
        var baseline = Read("VmRSS");
        budget.TakePeakReserved();
        return new Running(budget, baseline);
    }

    private MemoryUse MeasureOnce(Func<string> run)
    {
        var running = Start();
        return running.Stop(run());
    }

    /// <summary>The resident set's peak since it was last reset.</summary>
    public static long PeakResidentBytes() => Read("VmHWM");

    /// <summary>A field of /proc/self/status in bytes ("VmRSS:    123456 kB").</summary>
    private static long Read(string field)
    {
        foreach (var line in File.ReadLines(Status))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                var kilobytes = line[(field.Length + 1)..].Trim().Split(' ')[0];
                return long.Parse(kilobytes, NumberStyles.None, CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"{Status} has no {field}.");
    }
}

/// <summary>A run being measured: the resident set when it started.</summary>
internal readonly struct Running(MemoryBudget budget, long baseline)
{
    /// <summary>What the run was charged and how much the resident set grew since <see cref="MemoryOracle.Start"/>.</summary>
    public MemoryUse Stop(string outcome) => new(outcome, budget.TakePeakReserved(), MemoryOracle.PeakResidentBytes() - baseline);
}

/// <summary>One run's outcome, the most it had reserved from the budget at once, and how much the resident set grew.</summary>
internal readonly record struct MemoryUse(string Outcome, long ChargedBytes, long GrownBytes)
{
    public long AllowedBytes => (long)(MemoryOracle.AllowedMultiple * ChargedBytes) + MemoryOracle.SlackBytes;

    public bool Exceeds => GrownBytes > AllowedBytes;

    /// <summary>How close to the limit: 1 is at it.</summary>
    public double ShareOfAllowed => (double)GrownBytes / AllowedBytes;

    public override string ToString() =>
        $"{Outcome}: the resident set grew {GrownBytes} bytes on a charge of {ChargedBytes} bytes (allowed {AllowedBytes} = {MemoryOracle.AllowedMultiple}x + {MemoryOracle.SlackBytes})";
}
