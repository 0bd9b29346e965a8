using Microsoft.Extensions.Options;

namespace ImageClassifier.Hosting;

/// <summary>
/// Holds the host's stopping for <see cref="ShutdownOptions.Drain"/> before the server stops
/// listening. It runs after ApplicationStopping has fired, so meanwhile /readyz is 503 and
/// every entry point answers 503 shutting-down; the server then stops accepting and waits for the
/// requests in flight, all within HostOptions.ShutdownTimeout.
/// </summary>
internal sealed class ShutdownDrain(IOptions<ShutdownOptions> options, TimeProvider timeProvider, ILogger<ShutdownDrain> logger)
    : IHostedLifecycleService
{
    /// <summary>When the drain ends, as a <see cref="TimeProvider"/> timestamp; 0 until the host first stops.</summary>
    private long drainEnds;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var drain = options.Value.Drain;
        if (drain <= TimeSpan.Zero)
        {
            return;
        }

        // The host may be stopped twice (SIGTERM, then disposal); the drain runs from the first.
        var now = timeProvider.GetTimestamp();
        var end = now + (long)(drain.TotalSeconds * timeProvider.TimestampFrequency);
        if (Interlocked.CompareExchange(ref drainEnds, end, 0) == 0)
        {
            logger.LogInformation("Shutting down: refusing new requests for {DrainSeconds} s before the server stops listening.", drain.TotalSeconds);
        }

        var remaining = timeProvider.GetElapsedTime(now, Interlocked.Read(ref drainEnds));
        if (remaining <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            await Task.Delay(remaining, timeProvider, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The shutdown timeout ran out: stopping goes on without the rest of the drain.
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
