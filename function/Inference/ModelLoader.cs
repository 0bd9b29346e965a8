namespace ImageClassifier.Inference;

/// <summary>
/// Loads the model in the background, so the server answers /healthz (and /readyz with 503) at
/// once while the model loads. A model that cannot be loaded stops the process: serving no model
/// forever would only hide the mistake. The model gauge (<see cref="ModelMetrics"/>) exists from
/// the start, so the first scrape shows it.
/// </summary>
public sealed class ModelLoader(
    ModelBundleResolver resolver,
    OnnxClassifier classifier,
    ModelOutputCheck check,
    ModelMetrics metrics,
    IHostApplicationLifetime lifetime,
    ILogger<ModelLoader> logger) : BackgroundService
{
    private readonly TaskCompletionSource loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the model is loaded; fails if it cannot be, cancelled if the host stops first.</summary>
    public Task WaitUntilLoadedAsync(CancellationToken cancellationToken) => loaded.Task.WaitAsync(cancellationToken);

    /// <summary>True when the model could not be loaded (the process is stopping).</summary>
    public bool HasFailed => loaded.Task.IsFaulted;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var bundle = await resolver.ResolveAsync(stoppingToken);
            var model = await classifier.OpenAsync(bundle, stoppingToken);
            try
            {
                model.ServeOutputAs(await check.VerifyAsync(model, model.Bundle.Output, stoppingToken));
            }
            catch
            {
                model.Release();
                throw;
            }

            classifier.Serve(model, heldUntilRetired: null);
            metrics.RecordRefresh(ModelMetrics.Outcomes.Loaded);
            if (model.Bundle.LabelsAssumed && model.ClassCount != 1000)
            {
                logger.LogWarning("Model {Model} carries no labels: its {Classes} classes are named class 0, class 1, …", model.Model.Name, model.ClassCount);
            }

            if (model.Bundle.PreprocessingSource == ModelBundle.AssumedPreprocessing)
            {
                logger.LogWarning("Model {Model} states no preprocessing: assumed from its input's shape with ImageNet's numbers ({Preprocessing})",
                    model.Model.Name, model.Preprocessing.Describe());
            }

            logger.LogInformation("Model {Model} version {Version} (sha256 {Sha256}, {Classes} classes, {Output}) loaded from {Path}, preprocessing from {PreprocessingSource}: {Preprocessing}",
                model.Model.Name, model.Model.Version ?? "(none)", model.Model.Sha256, model.ClassCount, model.Output, bundle.ModelPath, model.Bundle.PreprocessingSource, model.Preprocessing.Describe());
            loaded.TrySetResult();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down before the model was ready: nothing to report.
            loaded.TrySetCanceled(stoppingToken);
        }
        catch (Exception exception)
        {
            metrics.RecordRefresh(ModelMetrics.Outcomes.Failed);
            logger.LogCritical(exception, "The model could not be loaded: {Reason}", exception.Message);
            loaded.TrySetException(exception);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }
}
