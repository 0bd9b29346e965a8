namespace ImageClassifier.LoadGenerator;

/// <summary>What one connection's loop saw in the measured window; one per worker, so no locking.</summary>
public sealed class WorkerTally
{
    public List<double> LatenciesMs { get; } = [];

    public Dictionary<int, long> Statuses { get; } = [];

    /// <summary>Latencies of the 2xx answers alone: under overload, what an accepted request costs.</summary>
    public List<double> OkLatenciesMs { get; } = [];

    /// <summary>Latencies of the 503 and 429 answers: what a refusal costs the caller.</summary>
    public List<double> RefusedLatenciesMs { get; } = [];

    public Dictionary<string, long> Errors { get; } = [];

    /// <summary>503 and 429 answers, and how many of them said when to retry.</summary>
    public long Refused { get; private set; }

    public long RefusedWithRetryAfter { get; private set; }

    public void RecordStatus(int status, double latencyMs, bool hasRetryAfter)
    {
        LatenciesMs.Add(latencyMs);
        Statuses[status] = Statuses.GetValueOrDefault(status) + 1;
        if (status is >= 200 and < 300)
        {
            OkLatenciesMs.Add(latencyMs);
        }
        else if (status is 503 or 429)
        {
            Refused++;
            RefusedLatenciesMs.Add(latencyMs);
            RefusedWithRetryAfter += hasRetryAfter ? 1 : 0;
        }
    }

    public void RecordError(string kind) => Errors[kind] = Errors.GetValueOrDefault(kind) + 1;
}
