namespace ImageClassifier;

/// <summary>The tracker when nothing records predictions: does nothing, costs nothing.</summary>
public sealed class DisabledPredictionTracker : IPredictionTracker
{
    public static DisabledPredictionTracker Instance { get; } = new();

    public void Track(ClassificationRequest request, ClassificationResult result, ReadOnlyMemory<byte> image)
    {
    }
}
