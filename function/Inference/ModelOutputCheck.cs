using System.Numerics.Tensors;
using ImageClassifier.Imaging;

namespace ImageClassifier.Inference;

/// <summary>
/// Runs a loaded model on the built-in warm-up image, resized, cropped and normalised by the
/// function's own tensor writer with the model's own preprocessing as a request's image is, and
/// decides what its output is: the one stated, else probabilities when every value is in [0, 1]
/// and they sum to 1, else logits. A model that answers NaN or infinities, logits whose softmax is
/// no distribution, or stated probabilities outside [0, 1] is never served. Stated probabilities
/// need not sum to 1 (independent sigmoids of a multi-label model). The image is made in memory
/// rather than decoded, so the check does not depend on the request limits (MAX_IMAGE_PIXELS, the
/// memory budget) or on the decoder.
/// </summary>
public sealed class ModelOutputCheck(ITensorWriter writer)
{
    /// <summary>How far from 1 the probabilities' sum may be: float rounding over 1000 classes stays far below it.</summary>
    public const float SumTolerance = 1e-3f;

    /// <inheritdoc cref="VerifyAsync(IModelSession, ModelOutput?, CancellationToken)"/>
    public Task<ModelOutput> VerifyAsync(IModelSession model, CancellationToken cancellationToken) =>
        VerifyAsync(model, stated: null, cancellationToken);

    /// <summary>Checks the output and says what it is (<paramref name="stated"/> when given).</summary>
    /// <exception cref="ModelUnavailableException">The output is not a probability distribution (<c>bad_output</c>).</exception>
    public async Task<ModelOutput> VerifyAsync(IModelSession model, ModelOutput? stated, CancellationToken cancellationToken)
    {
        float[] scores;
        using (var tensor = new TensorBuffer(model.Preprocessing.TensorLength))
        {
            using (var image = WarmUpImage.Pixels())
            {
                writer.Write(image, model.Preprocessing, tensor.Span);
            }

            scores = await model.InferLogitsAsync(tensor.Memory, 1, cancellationToken);
        }

        var output = stated ?? (IsDistribution(scores) ? ModelOutput.Probabilities : ModelOutput.Logits);
        if (output == ModelOutput.Logits)
        {
            Softmax.Apply(scores);
        }

        var bad = Array.FindIndex(scores, p => !float.IsFinite(p) || p < 0 || p > 1);
        var sum = TensorPrimitives.Sum<float>(scores);
        var sumsToOne = float.IsFinite(sum) && MathF.Abs(sum - 1) <= SumTolerance;
        if (bad >= 0 || (output == ModelOutput.Logits && !sumsToOne))
        {
            var what = output == ModelOutput.Logits ? "no probabilities" : "probabilities (as its preprocessing states) outside [0, 1]";
            var where = bad >= 0 ? $"class {bad} gets {scores[bad]}" : $"the probabilities sum to {sum}";
            throw new ModelUnavailableException(ModelMetrics.Outcomes.BadOutput,
                $"{model.Model.Name} (sha256 {model.Model.Sha256}) gives {what} for the built-in image: {where}.");
        }

        return output;
    }

    /// <summary>Every value in [0, 1] and their sum 1 within <see cref="SumTolerance"/>: the graph ends in a softmax.</summary>
    private static bool IsDistribution(float[] scores)
    {
        var sum = TensorPrimitives.Sum<float>(scores);
        return Array.TrueForAll(scores, p => p is >= 0 and <= 1) && MathF.Abs(sum - 1) <= SumTolerance;
    }
}
