namespace ImageClassifier.MLflow;

/// <summary>The tracker while <c>MLFLOW_TRACKING_URI</c> is unset: does nothing, costs nothing.</summary>
public sealed class DisabledPredictionTracker : IPredictionTracker
{
    public static DisabledPredictionTracker Instance { get; } = new();

    public void Track(ClassificationRequest request, ClassificationResult result, ReadOnlyMemory<byte> image)
    {
    }
}
