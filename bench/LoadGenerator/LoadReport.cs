using System.Globalization;
using System.Text.Json;

namespace ImageClassifier.LoadGenerator;

/// <summary>
/// The figures of one run. Latency percentiles are over every answered request (any status);
/// transport failures and timeouts are counted as errors instead. The ok percentiles are over
/// the 2xx answers alone, and refused counts the 503 and 429 answers (with Retry-After: how many
/// of them said when to retry, and their latency percentiles), for overload runs.
/// </summary>
public sealed record LoadReport(
    string Target,
    string Mode,
    int Concurrency,
    double WarmupSeconds,
    double DurationSeconds,
    long Requests,
    double RequestsPerSecond,
    long Ok,
    IReadOnlyDictionary<string, long> Statuses,
    IReadOnlyDictionary<string, long> Errors,
    double P50Ms,
    double P90Ms,
    double P99Ms,
    double MaxMs,
    double OkP50Ms,
    double OkP99Ms,
    long Refused,
    long RefusedWithRetryAfter,
    double RefusedP50Ms,
    double RefusedP99Ms)
{
    private static readonly JsonSerializerOptions LastLine = new(JsonSerializerDefaults.Web);

    public static LoadReport From(LoadPlan plan, IReadOnlyCollection<WorkerTally> tallies)
    {
        var latencies = tallies.SelectMany(t => t.LatenciesMs).Order().ToArray();
        var okLatencies = tallies.SelectMany(t => t.OkLatenciesMs).Order().ToArray();
        var refusedLatencies = tallies.SelectMany(t => t.RefusedLatenciesMs).Order().ToArray();
        var statuses = tallies.SelectMany(t => t.Statuses)
            .GroupBy(s => s.Key, s => s.Value)
            .OrderBy(g => g.Key)
            .ToDictionary(g => g.Key.ToString(CultureInfo.InvariantCulture), g => g.Sum());
        var errors = tallies.SelectMany(t => t.Errors)
            .GroupBy(e => e.Key, e => e.Value)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(), StringComparer.Ordinal);
        var ok = tallies.SelectMany(t => t.Statuses).Where(s => s.Key is >= 200 and < 300).Sum(s => s.Value);
        var requests = latencies.Length + errors.Values.Sum();
        var seconds = plan.Duration.TotalSeconds;
        return new LoadReport(
            plan.Target.ToString(),
            plan.Mode,
            plan.Concurrency,
            plan.Warmup.TotalSeconds,
            seconds,
            requests,
            Math.Round(requests / seconds, 2),
            ok,
            statuses,
            errors,
            Percentile(latencies, 50),
            Percentile(latencies, 90),
            Percentile(latencies, 99),
            latencies.Length == 0 ? 0 : Math.Round(latencies[^1], 2),
            Percentile(okLatencies, 50),
            Percentile(okLatencies, 99),
            tallies.Sum(t => t.Refused),
            tallies.Sum(t => t.RefusedWithRetryAfter),
            Percentile(refusedLatencies, 50),
            Percentile(refusedLatencies, 99));
    }

    /// <summary>Nearest-rank percentile of sorted values, in ms to two places; 0 when there are none.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double percent)
    {
        if (sorted.Count == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(percent / 100 * sorted.Count);
        return Math.Round(sorted[Math.Clamp(rank, 1, sorted.Count) - 1], 2);
    }

    /// <summary>Lines for a person, then one JSON line for scripts (always the last line).</summary>
    public void Print(TextWriter output)
    {
        var culture = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(culture, $"target       {Target} ({Mode})"));
        output.WriteLine(string.Create(culture, $"load         {Concurrency} connections, {WarmupSeconds:0.#} s warm-up, {DurationSeconds:0.#} s measured"));
        output.WriteLine(string.Create(culture, $"requests     {Requests} ({RequestsPerSecond:0.00} req/s), {Ok} with 2xx"));
        output.WriteLine(string.Create(culture, $"statuses     {Describe(Statuses)}"));
        output.WriteLine(string.Create(culture, $"latency ms   p50 {P50Ms:0.00}  p90 {P90Ms:0.00}  p99 {P99Ms:0.00}  max {MaxMs:0.00}"));
        output.WriteLine(string.Create(culture, $"2xx only ms  p50 {OkP50Ms:0.00}  p99 {OkP99Ms:0.00}"));
        output.WriteLine(string.Create(culture, $"refused      {Refused} with 503 or 429, {RefusedWithRetryAfter} of them with Retry-After; ms p50 {RefusedP50Ms:0.00}  p99 {RefusedP99Ms:0.00}"));
        output.WriteLine(string.Create(culture, $"errors       {Describe(Errors)}"));
        output.WriteLine(JsonSerializer.Serialize(this, LastLine));
    }

    private static string Describe(IReadOnlyDictionary<string, long> counts) =>
        counts.Count == 0 ? "none" : string.Join(", ", counts.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key}: {c.Value}")));
}
