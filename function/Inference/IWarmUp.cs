namespace ImageClassifier.Inference;

/// <summary>
/// Work done once the model is loaded and before the function says it is ready, so the first
/// request finds everything it needs compiled and allocated.
/// </summary>
public interface IWarmUp
{
    Task WarmUpAsync(CancellationToken cancellationToken);
}
