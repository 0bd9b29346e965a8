namespace ImageClassifier.Inference;

/// <summary>
/// Tensor → predictions through the model the function serves now. The model can be swapped
/// while requests run (a registry alias moved), so a request that uses the model more than once
/// takes a <see cref="ModelLease"/> and uses only that: its preprocessing, session, labels and
/// reported model then all belong to one model. Each member used on the classifier itself answers
/// for the model serving at that moment.
/// </summary>
public interface IClassifier : IModelSession
{
    /// <summary>True once the model is loaded and warmed; until then every other member throws
    /// <see cref="Failures.ClassificationException"/> (<see cref="Failures.Problems.NotReady"/>).</summary>
    bool IsReady { get; }

    /// <summary>
    /// The model serving now, for one request: its session stays open until the lease is disposed,
    /// whatever is swapped in meanwhile. Costs one interlocked increment, and a decrement at the end.
    /// </summary>
    ModelLease Acquire();
}
