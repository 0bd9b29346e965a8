namespace ImageClassifier.Inference;

/// <summary>The k most probable classes, highest first.</summary>
public static class TopK
{
    /// <summary>
    /// Picks the <paramref name="k"/> largest of <paramref name="probabilities"/> by insertion
    /// into a k-long sorted window: k is small and the output is 1000 long, so this beats a sort.
    /// Ties keep the lower index first.
    /// </summary>
    public static Prediction[] Select(ReadOnlySpan<float> probabilities, IReadOnlyList<ModelLabel> labels, int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        k = Math.Min(k, probabilities.Length);
        Span<int> best = k <= 64 ? stackalloc int[k] : new int[k];
        var count = 0;
        for (var i = 0; i < probabilities.Length; i++)
        {
            var p = probabilities[i];
            if (count == k && p <= probabilities[best[k - 1]])
            {
                continue;
            }

            var at = Math.Min(count, k - 1);
            while (at > 0 && probabilities[best[at - 1]] < p)
            {
                best[at] = best[at - 1];
                at--;
            }

            best[at] = i;
            count = Math.Min(count + 1, k);
        }

        var predictions = new Prediction[k];
        for (var rank = 0; rank < k; rank++)
        {
            var index = best[rank];
            var label = labels[index];
            predictions[rank] = new Prediction(index, label.Synset, label.Name, probabilities[index]);
        }

        return predictions;
    }
}
