using System.Numerics.Tensors;
using ImageClassifier.Imaging;

namespace ImageClassifier.Inference;

/// <summary>
/// Runs a loaded model on the built-in warm-up image, resized, cropped and normalised by the
/// function's own tensor writer as a request's image is, and refuses the model unless the image
/// gets finite probabilities that sum to 1, so a model that answers NaN or infinities is never
/// served. The image is made in memory rather than decoded, so the check does not depend on the
/// request limits (MAX_IMAGE_PIXELS, the memory budget) or on the decoder.
/// </summary>
public sealed class ModelOutputCheck(ITensorWriter writer)
{
    /// <summary>How far from 1 the probabilities' sum may be: float rounding over 1000 classes stays far below it.</summary>
    public const float SumTolerance = 1e-3f;

    /// <exception cref="ModelUnavailableException">The output is not a probability distribution (<c>bad_output</c>).</exception>
    public async Task VerifyAsync(IModelSession model, CancellationToken cancellationToken)
    {
        float[] logits;
        using (var tensor = new TensorBuffer(model.Preprocessing.TensorLength))
        {
            using (var image = WarmUpImage.Pixels())
            {
                writer.Write(image, model.Preprocessing, tensor.Span);
            }

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
