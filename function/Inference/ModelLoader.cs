namespace ImageClassifier.Inference;

/// <summary>
/// Loads and warms the model in the background, so the server answers /healthz (and /readyz
/// with 503) at once while the model loads. A model that cannot be loaded stops the process:
/// serving no model forever would only hide the mistake.
/// </summary>
public sealed class ModelLoader(
    ModelBundleResolver resolver,
    OnnxClassifier classifier,
    IHostApplicationLifetime lifetime,
    ILogger<ModelLoader> logger) : BackgroundService
{
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
        }
        catch (Exception exception)
        {
            logger.LogCritical(exception, "The model could not be loaded: {Reason}", exception.Message);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }
}
