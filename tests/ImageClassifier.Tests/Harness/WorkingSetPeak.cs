namespace ImageClassifier.Tests.Harness;

/// <summary>
/// Samples the process's working set in the background while a test runs and keeps the
/// highest value, so a test can bound how much memory the work it did made the process take
/// (managed and unmanaged alike: ImageSharp's pixel buffers are not on the GC heap).
/// </summary>
public sealed class WorkingSetPeak : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;
    private long _peak;

    public WorkingSetPeak()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Baseline = Environment.WorkingSet;
        _peak = Baseline;
        _sampler = Task.Run(SampleAsync);
    }

    public long Baseline { get; }

    /// <summary>The highest working set seen since construction, above the one at construction.</summary>
    public long Growth => Interlocked.Read(ref _peak) - Baseline;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampler;
        _stop.Dispose();
    }

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(2));
        do
        {
            var now = Environment.WorkingSet;
            if (now > Interlocked.Read(ref _peak))
            {
                Interlocked.Exchange(ref _peak, now);
            }
        }
        while (await Tick(timer));
    }

    private async Task<bool> Tick(PeriodicTimer timer)
    {
        try
        {
            return await timer.WaitForNextTickAsync(_stop.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
