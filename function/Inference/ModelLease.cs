using ImageClassifier.Imaging;

namespace ImageClassifier.Inference;

/// <summary>
/// One request's hold on one model (<see cref="IClassifier.Acquire"/>): every member answers for
/// that model, and disposing the lease lets its session go once nothing else holds it.
/// </summary>
/// <param name="model">The model held.</param>
/// <param name="release">Called once, at the first dispose; null when nothing is counted (a model that is never swapped).</param>
public sealed class ModelLease(IModelSession model, Action? release = null) : IModelSession, IDisposable
{
    private Action? release = release;

    public ModelInfo Model => model.Model;

    public PreprocessingSpec Preprocessing => model.Preprocessing;

    public int ClassCount => model.ClassCount;

    public ModelSignature Signature => model.Signature;

    public Task<float[]> InferLogitsAsync(ReadOnlyMemory<float> tensors, int batchSize, CancellationToken cancellationToken) =>
        model.InferLogitsAsync(tensors, batchSize, cancellationToken);

    public Task<IReadOnlyList<Prediction>> ClassifyAsync(ReadOnlyMemory<float> tensor, int topK, CancellationToken cancellationToken) =>
        model.ClassifyAsync(tensor, topK, cancellationToken);

    public void Dispose() => Interlocked.Exchange(ref release, null)?.Invoke();
}
