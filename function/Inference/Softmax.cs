namespace ImageClassifier.Inference;

/// <summary>Logits → probabilities.</summary>
public static class Softmax
{
    /// <summary>Replaces logits by their softmax, in place; the maximum is subtracted first so exp cannot overflow.</summary>
    public static void Apply(Span<float> values)
    {
        if (values.IsEmpty)
        {
            return;
        }

        var max = System.Numerics.Tensors.TensorPrimitives.Max(values);
        var sum = 0f;
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = MathF.Exp(values[i] - max);
            sum += values[i];
        }

        System.Numerics.Tensors.TensorPrimitives.Divide(values, sum, values);
    }
}
