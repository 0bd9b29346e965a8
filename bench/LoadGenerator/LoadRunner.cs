namespace ImageClassifier.LoadGenerator;

/// <summary>
/// Runs <see cref="LoadPlan.Concurrency"/> closed loops, each one request at a time: the next as
/// soon as an answer comes back or, with <see cref="LoadPlan.RatePerConnection"/>, no sooner than
/// its turn at that rate (loops start spread over one interval), so that how fast a server
/// answers does not change how much it is sent. A request counts if it started after the
/// warm-up and finished before the end; no loop starts a request after the end, so a run lasts
/// at most warm-up + duration + one request timeout.
/// </summary>
public sealed class LoadRunner(Func<ILoadConnection> connect, TimeProvider time)
{
    public async Task<LoadReport> RunAsync(LoadPlan plan, CancellationToken cancellationToken)
    {
        var measureFrom = time.GetTimestamp() + Ticks(plan.Warmup);
        var stopAt = measureFrom + Ticks(plan.Duration);
        var tallies = Enumerable.Range(0, plan.Concurrency).Select(_ => new WorkerTally()).ToList();
        await Task.WhenAll(tallies.Select((tally, index) => LoopAsync(plan, tally, index, measureFrom, stopAt, cancellationToken)));
        return LoadReport.From(plan, tallies);
    }

    private async Task LoopAsync(LoadPlan plan, WorkerTally tally, int index, long measureFrom, long stopAt, CancellationToken cancellationToken)
    {
        await using var connection = connect();
        var interval = plan.RatePerConnection > 0 ? TimeSpan.FromSeconds(1.0 / plan.RatePerConnection) : TimeSpan.Zero;
        var turn = time.GetTimestamp() + Ticks(interval * index / plan.Concurrency);
        while (time.GetTimestamp() < stopAt && !cancellationToken.IsCancellationRequested)
        {
            if (interval > TimeSpan.Zero)
            {
                if (!await WaitForTurnAsync(turn, cancellationToken))
                {
                    return;
                }

                turn = Math.Max(turn + Ticks(interval), time.GetTimestamp());
            }

            var began = time.GetTimestamp();
            LoadAnswer answer;
            try
            {
                answer = await connection.SendAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var ended = time.GetTimestamp();
            if (began < measureFrom || ended > stopAt)
            {
                continue;
            }

            if (answer.Status is { } code)
            {
                tally.RecordStatus(code, time.GetElapsedTime(began, ended).TotalMilliseconds, answer.HasRetryAfter);
            }
            else
            {
                tally.RecordError(answer.Error ?? "Unknown");
            }
        }
    }

    /// <summary>False when the run was cancelled while waiting.</summary>
    private async Task<bool> WaitForTurnAsync(long turn, CancellationToken cancellationToken)
    {
        var wait = time.GetElapsedTime(time.GetTimestamp(), turn);
        if (wait <= TimeSpan.Zero)
        {
            return true;
        }

        try
        {
            await Task.Delay(wait, time, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * time.TimestampFrequency);
}
