namespace ImageClassifier.Inference;

/// <summary>
/// A model that must not be served, or a source that could not say or give which model to serve,
/// with the outcome it is counted under (<see cref="ModelMetrics.Outcomes"/>).
/// </summary>
public sealed class ModelUnavailableException(string outcome, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    /// <summary>The <c>outcome</c> of <c>imageclassifier.model.refresh</c> this failure is counted under.</summary>
    public string Outcome { get; } = outcome;
}
