namespace ImageClassifier.DecodeFloor;

/// <summary>Nearest-rank percentiles of a run's times, in ms.</summary>
internal static class Timings
{
    public static double Percentile(IEnumerable<double> values, double percent)
    {
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return Math.Round(sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)], 2);
    }

    public static double Milliseconds(long start) =>
        (System.Diagnostics.Stopwatch.GetTimestamp() - start) * 1000.0 / System.Diagnostics.Stopwatch.Frequency;
}
