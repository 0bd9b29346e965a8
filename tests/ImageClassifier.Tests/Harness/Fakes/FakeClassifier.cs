using ImageClassifier.Failures;
using ImageClassifier.Imaging;
using ImageClassifier.Inference;

namespace ImageClassifier.Tests.Harness.Fakes;

/// <summary>A ready (or not) classifier that always finds the same cats.</summary>
public sealed class FakeClassifier : IClassifier
{
    public static readonly ModelInfo FakeModel = new("fake-model", "cc028fe6cae7bc11a4ff53cfc9b79c920e8be65ce33a904ec3e2a8f66d77f95f");

    public static readonly Prediction[] Cats =
    [
        new(285, "n02124075", "Egyptian cat", 0.548f),
        new(281, "n02123045", "tabby, tabby cat", 0.25f),
        new(282, "n02123159", "tiger cat", 0.125f),
    ];

    public bool IsReady { get; set; } = true;

    /// <summary>Thrown by <see cref="ClassifyAsync"/> instead of answering, when set.</summary>
    public Exception? Failure { get; set; }

    public ModelInfo Model => FakeModel;

    public PreprocessingSpec Preprocessing => PreprocessingSpec.ImageNet;

    /// <summary>The classes the fake claims (a model with fewer than TOP_K, when set lower).</summary>
    public int ClassCount { get; set; } = 1000;

    public ModelSignature Signature { get; } = new("input", [-1, 3, 224, 224], "output", [-1, 1000]);

    /// <summary>One model that is never swapped: a lease that counts nothing.</summary>
    public ModelLease Acquire() => IsReady ? new ModelLease(this) : throw Problems.NotReady.Failure("The fake model is not ready.");

    public Task<float[]> InferLogitsAsync(ReadOnlyMemory<float> tensors, int batchSize, CancellationToken cancellationToken) =>
        Task.FromResult(new float[batchSize * ClassCount]);

    public Task<IReadOnlyList<Prediction>> ClassifyAsync(ReadOnlyMemory<float> tensor, int topK, CancellationToken cancellationToken) =>
        Failure is null
            ? Task.FromResult<IReadOnlyList<Prediction>>(Cats.Take(topK).ToArray())
            : Task.FromException<IReadOnlyList<Prediction>>(Failure);
}
