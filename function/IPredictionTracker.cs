namespace ImageClassifier;

/// <summary>
/// Where the function hands each finished classification to be recorded (MLflow tracking, when it
/// is on), without ever waiting for it.
/// </summary>
public interface IPredictionTracker
{
    /// <summary>
    /// Takes the prediction and returns at once; never throws for anything the recorder does.
    /// <paramref name="image"/> is only read during the call.
    /// </summary>
    void Track(ClassificationRequest request, ClassificationResult result, ReadOnlyMemory<byte> image);
}
