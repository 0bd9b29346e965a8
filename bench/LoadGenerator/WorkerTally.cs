namespace ImageClassifier.LoadGenerator;

/// <summary>What one connection's loop saw in the measured window; one per worker, so no locking.</summary>
public sealed class WorkerTally
{
    public List<double> LatenciesMs { get; } = [];

    public Dictionary<int, long> Statuses { get; } = [];

    public Dictionary<string, long> Errors { get; } = [];

    public void RecordStatus(int status, double latencyMs)
    {
        LatenciesMs.Add(latencyMs);
        Statuses[status] = Statuses.GetValueOrDefault(status) + 1;
    }

    public void RecordError(string kind) => Errors[kind] = Errors.GetValueOrDefault(kind) + 1;
}
