namespace ImageClassifier.Inference;

/// <summary>
/// Loads and warms the model in the background, so the server answers /healthz (and /readyz
/// with 503) at once while the model loads, then runs every <see cref="IWarmUp"/>; only then is
/// the function warm (see <see cref="ModelReadyHealthCheck"/>). A model that cannot be loaded
/// stops the process: serving no model forever would only hide the mistake. A warm-up that fails
/// is logged and skipped: it only makes the first request faster.
/// </summary>
public sealed class ModelLoader(
    ModelBundleResolver resolver,
    OnnxClassifier classifier,
    IEnumerable<IWarmUp> warmUps,
    IHostApplicationLifetime lifetime,
    ILogger<ModelLoader> logger) : BackgroundService
{
    private volatile bool _isWarm;

    /// <summary>True once the model is loaded and every warm-up has run.</summary>
    public bool IsWarm => _isWarm;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var bundle = await resolver.ResolveAsync(stoppingToken);
            await classifier.LoadAsync(bundle, stoppingToken);
            logger.LogInformation("Model {Model} (sha256 {Sha256}, {Classes} classes) loaded from {Path} and warmed",
                classifier.Model.Name, classifier.Model.Sha256, classifier.ClassCount, bundle.ModelPath);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down before the model was ready: nothing to report.
            return;
        }
        catch (Exception exception)
        {
            logger.LogCritical(exception, "The model could not be loaded: {Reason}", exception.Message);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
            return;
        }

        foreach (var warmUp in warmUps)
        {
            try
            {
                await warmUp.WarmUpAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "A warm-up failed; the first requests will be slower: {Reason}", exception.Message);
            }
        }

        _isWarm = true;
    }
}
