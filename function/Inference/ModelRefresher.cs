using ImageClassifier.Failures;
using ImageClassifier.Memory;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Inference;

/// <summary>
/// Follows a registry alias (<c>models:/name@alias</c>): every <c>MODEL_REFRESH_SECONDS</c> it asks
/// the source which version the alias names, and when that changes it loads the new version
/// beside the one serving (downloaded within limits and hashed, opened, its tensors and labels
/// checked, warmed on the built-in image, whose probabilities must be finite and sum to 1), then
/// swaps it in atomically. A version that fails any step is never served: the failure is logged
/// and counted, the current model keeps serving, and that version is tried again with backoff. A
/// registry that cannot be reached changes nothing but the time to the next question, which
/// doubles until it answers. Readiness is never touched: a model serves throughout.
/// </summary>
public sealed class ModelRefresher(
    ModelLoader loader,
    ModelBundleResolver resolver,
    OnnxClassifier classifier,
    ModelOutputCheck check,
    MemoryBudget memory,
    ModelMetrics metrics,
    IOptions<InferenceOptions> options,
    TimeProvider timeProvider,
    ILogger<ModelRefresher> logger) : BackgroundService
{
    /// <summary>The longest wait between two questions, or before a failed version is tried again (unless the interval is longer).</summary>
    public static TimeSpan MaxBackoff { get; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Memory to reserve for a second session while it is loaded and until the old one closes.
    /// Measured as the RSS a session adds once loaded and run (MobileNet v2 int8, 3.5 MiB:
    /// 13-14.4 MiB; ShuffleNet v2 int8, 2.3 MiB: 8-10.5 MiB), both below four times the file
    /// plus 4 MiB.
    /// </summary>
    public static long SessionMemoryEstimate(long fileBytes) => (4 * fileBytes) + (4L * 1024 * 1024);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await loader.WaitUntilLoadedAsync(stoppingToken);
        }
        catch (Exception)
        {
            // No model (the loader has said why and stops the process), or shutting down.
            return;
        }

        var interval = options.Value.ModelRefreshInterval;
        if (resolver.RequestedSource() is not { CanMove: true } source)
        {
            return;
        }

        if (interval == TimeSpan.Zero)
        {
            logger.LogInformation("{Setting} names an alias, but MODEL_REFRESH_SECONDS is 0: version {Version} is served until the next start",
                source.Setting, classifier.Model.Version);
            return;
        }

        logger.LogInformation("Following {Setting}: asking every {Interval} which version it names", source.Setting, interval);
        try
        {
            await FollowAsync(source, interval, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; a half-loaded candidate was let go on the way out.
        }
    }

    private async Task FollowAsync(IModelSource source, TimeSpan interval, CancellationToken stoppingToken)
    {
        var wait = interval;
        FailedVersion? failed = null;
        while (true)
        {
            await Task.Delay(wait, timeProvider, stoppingToken);
            string version;
            try
            {
                version = await source.GetCurrentVersionAsync(stoppingToken);
            }
            catch (ModelUnavailableException unavailable)
            {
                wait = Longer(wait, interval);
                metrics.RecordRefresh(unavailable.Outcome);
                logger.LogWarning("{Setting} could not be resolved ({Outcome}): {Reason}. Version {Version} keeps serving; asking again in {Wait}",
                    source.Setting, unavailable.Outcome, unavailable.Message, classifier.Model.Version, wait);
                continue;
            }

            wait = interval;
            var serving = classifier.Model;
            if (version == serving.Version || (failed is { } last && last.Version == version && timeProvider.GetUtcNow() < last.RetryAt))
            {
                continue;
            }

            try
            {
                await SwapAsync(source, version, serving, stoppingToken);
                failed = null;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                var outcome = exception is ModelUnavailableException unavailable ? unavailable.Outcome : ModelMetrics.Outcomes.InvalidModel;
                var attempts = failed is { } previous && previous.Version == version ? previous.Attempts + 1 : 1;
                var delay = Backoff(interval, attempts);
                failed = new FailedVersion(version, attempts, timeProvider.GetUtcNow() + delay);
                metrics.RecordRefresh(outcome);
                logger.LogWarning(
                    "Version {Candidate} of {Setting} is not served ({Outcome}, attempt {Attempt}): {Reason}. Version {Version} (sha256 {Sha256}) keeps serving; the candidate is tried again in {Delay} at the earliest",
                    version, source.Setting, outcome, attempts, exception.Message, serving.Version, serving.Sha256, delay);
                logger.LogDebug(exception, "Model refresh failure");
            }
        }
    }

    private async Task SwapAsync(IModelSource source, string version, ModelInfo serving, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var sourced = await source.FetchVersionAsync(version, cancellationToken);
        var bundle = await resolver.ResolveAsync(sourced, cancellationToken);
        var reservation = await ReserveAsync(bundle, cancellationToken);
        LoadedModel? candidate = null;
        try
        {
            candidate = await classifier.OpenAsync(bundle, cancellationToken);
            candidate.ServeOutputAs(await check.VerifyAsync(candidate, candidate.Bundle.Output, cancellationToken));
        }
        catch
        {
            if (candidate is null)
            {
                reservation.Dispose();
            }
            else
            {
                candidate.HoldUntilClosed(reservation);
                candidate.Release();
            }

            throw;
        }

        classifier.Serve(candidate, reservation);
        metrics.RecordRefresh(ModelMetrics.Outcomes.Swapped);
        source.KeepOnly(serving.Version is { } previous ? [version, previous] : [version]);
        logger.LogInformation(
            "Model {Model} version {Version} (sha256 {Sha256}, preprocessing from {PreprocessingSource}: {Preprocessing}) serves from now on, loaded and checked in {Elapsed}; version {Previous} (sha256 {PreviousSha256}) closes after its last request",
            candidate.Model.Name, candidate.Model.Version, candidate.Model.Sha256, candidate.Bundle.PreprocessingSource, candidate.Preprocessing.Describe(), timeProvider.GetElapsedTime(started),
            serving.Version, serving.Sha256);
    }

    /// <summary>The second session's memory, from the process-wide budget, until the session it replaces is closed.</summary>
    private async Task<IDisposable> ReserveAsync(ModelBundle bundle, CancellationToken cancellationToken)
    {
        var bytes = SessionMemoryEstimate(new FileInfo(bundle.ModelPath).Length);
        try
        {
            return await memory.ReserveAsync(bytes, $"Loading version {bundle.Version} beside the model serving", cancellationToken);
        }
        catch (ClassificationException refused)
        {
            throw new ModelUnavailableException(ModelMetrics.Outcomes.NoMemory, refused.Message, refused);
        }
    }

    private static TimeSpan Longer(TimeSpan wait, TimeSpan interval) =>
        TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, Math.Max(MaxBackoff.Ticks, interval.Ticks)));

    private static TimeSpan Backoff(TimeSpan interval, int attempts) =>
        TimeSpan.FromTicks((long)Math.Min(interval.Ticks * Math.Pow(2, attempts), Math.Max(MaxBackoff.Ticks, interval.Ticks)));

    private sealed record FailedVersion(string Version, int Attempts, DateTimeOffset RetryAt);
}
