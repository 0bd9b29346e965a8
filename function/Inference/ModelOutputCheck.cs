using System.Numerics.Tensors;
using ImageClassifier.Failures;
using ImageClassifier.Imaging;

namespace ImageClassifier.Inference;

/// <summary>
/// Runs a loaded model on the built-in warm-up image through the function's own preprocessing, as
/// a request would, and refuses it unless the image gets finite probabilities that sum to 1, so a
/// model that answers NaN or infinities is never served.
/// </summary>
public sealed class ModelOutputCheck(ImagePreprocessor preprocessor)
{
    /// <summary>How far from 1 the probabilities' sum may be: float rounding over 1000 classes stays far below it.</summary>
    public const float SumTolerance = 1e-3f;

    private readonly Lazy<byte[]> image = new(WarmUpImage.Jpeg);

    /// <exception cref="ModelUnavailableException">The output is not a probability distribution (<c>bad_output</c>), or the memory budget refused the image (<c>no_memory</c>).</exception>
    public async Task VerifyAsync(IModelSession model, CancellationToken cancellationToken)
    {
        TensorBuffer tensor;
        try
        {
            tensor = await preprocessor.PrepareAsync(image.Value, model.Preprocessing, cancellationToken);
        }
        catch (ClassificationException refused)
        {
            // The built-in image decodes; what can refuse it is the memory budget, busy or too small.
            throw new ModelUnavailableException(ModelMetrics.Outcomes.NoMemory, $"The built-in image could not be decoded to check the model: {refused.Message}", refused);
        }

        float[] logits;
        using (tensor)
        {
            logits = await model.InferLogitsAsync(tensor.Memory, 1, cancellationToken);
        }

        Softmax.Apply(logits);
        var sum = TensorPrimitives.Sum<float>(logits);
        var bad = Array.FindIndex(logits, p => !float.IsFinite(p) || p < 0 || p > 1);
        if (bad >= 0 || !float.IsFinite(sum) || MathF.Abs(sum - 1) > SumTolerance)
        {
            var where = bad >= 0 ? $"class {bad} gets {logits[bad]}" : $"the probabilities sum to {sum}";
            throw new ModelUnavailableException(ModelMetrics.Outcomes.BadOutput,
                $"{model.Model.Name} (sha256 {model.Model.Sha256}) gives no probabilities for the built-in image: {where}.");
        }
    }
}
