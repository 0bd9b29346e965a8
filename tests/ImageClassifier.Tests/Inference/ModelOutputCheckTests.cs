using ImageClassifier.Imaging;
using ImageClassifier.Inference;

namespace ImageClassifier.Tests.Inference;

/// <summary>
/// What the load check decides a model's output is, on models that answer fixed scores: a
/// distribution is probabilities, anything else logits, and a multi-label model stated as
/// probabilities is served although its scores do not sum to 1.
/// </summary>
public sealed class ModelOutputCheckTests
{
    private readonly ModelOutputCheck check = new(new TensorWriter());

    [Fact]
    public async Task Scores_in_0_to_1_that_sum_to_1_are_probabilities_and_others_logits()
    {
        Assert.Equal(ModelOutput.Probabilities, await check.VerifyAsync(new FixedScores([0.7f, 0.2f, 0.1f]), CancellationToken.None));
        Assert.Equal(ModelOutput.Logits, await check.VerifyAsync(new FixedScores([0.9f, 0.8f, 0.1f]), CancellationToken.None));
        Assert.Equal(ModelOutput.Logits, await check.VerifyAsync(new FixedScores([4f, -2f, 0.5f]), CancellationToken.None));
    }

    [Fact]
    public async Task A_multi_label_model_stated_as_probabilities_is_served_as_it_is()
    {
        var output = await check.VerifyAsync(new FixedScores([0.9f, 0.8f, 0.1f]), ModelOutput.Probabilities, CancellationToken.None);

        Assert.Equal(ModelOutput.Probabilities, output);
    }

    [Fact]
    public async Task Stated_probabilities_outside_0_to_1_are_refused()
    {
        var error = await Assert.ThrowsAsync<ModelUnavailableException>(() =>
            check.VerifyAsync(new FixedScores([4f, -2f, 0.5f]), ModelOutput.Probabilities, CancellationToken.None));

        Assert.Equal(ModelMetrics.Outcomes.BadOutput, error.Outcome);
        Assert.Contains("outside [0, 1]", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A model that answers the same scores for any image.</summary>
    private sealed class FixedScores(float[] scores) : IModelSession
    {
        public ModelInfo Model { get; } = new("fixed", new string('0', 64));

        public PreprocessingSpec Preprocessing { get; } = PreprocessingSpec.ImageNet with { Width = 8, Height = 8, ResizeShorterSide = 8 };

        public int ClassCount => scores.Length;

        public ModelSignature Signature { get; } = new("input", [-1, 3, 8, 8], "output", [-1, 3]);

        public Task<float[]> InferLogitsAsync(ReadOnlyMemory<float> tensors, int batchSize, CancellationToken cancellationToken) =>
            Task.FromResult(scores.ToArray());

        public Task<IReadOnlyList<Prediction>> ClassifyAsync(ReadOnlyMemory<float> tensor, int topK, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
