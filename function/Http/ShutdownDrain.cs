using Microsoft.Extensions.Options;

namespace ImageClassifier.Http;

/// <summary>
/// Holds the host's stopping for <see cref="ShutdownOptions.Drain"/> before the server stops
/// listening. It runs after ApplicationStopping has fired, so meanwhile /readyz is 503 and
/// POST / answers 503 shutting-down; the server then stops accepting and waits for the
/// requests in flight, all within HostOptions.ShutdownTimeout.
/// </summary>
internal sealed class ShutdownDrain(IOptions<ShutdownOptions> options, TimeProvider timeProvider, ILogger<ShutdownDrain> logger)
    : IHostedLifecycleService
{
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var drain = options.Value.Drain;
        if (drain <= TimeSpan.Zero)
        {
            return;
        }

        logger.LogInformation("Shutting down: refusing new requests for {DrainSeconds} s before the server stops listening.", drain.TotalSeconds);
        try
        {
            await Task.Delay(drain, timeProvider, cancellationToken);
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
