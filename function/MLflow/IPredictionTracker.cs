namespace ImageClassifier.MLflow;

/// <summary>Hands a finished classification to MLflow tracking, without ever waiting for it.</summary>
public interface IPredictionTracker
{
    /// <summary>
    /// Queues the prediction to be logged as an MLflow run and returns at once; never throws for
    /// anything MLflow does. <paramref name="image"/> is only read during the call.
    /// </summary>
    void Track(ClassificationRequest request, ClassificationResult result, ReadOnlyMemory<byte> image);
}
