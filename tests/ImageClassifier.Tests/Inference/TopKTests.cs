using ImageClassifier.Inference;

namespace ImageClassifier.Tests.Inference;

public class TopKTests
{
    private static readonly ModelLabel[] Labels = [.. Enumerable.Range(0, 8).Select(i => new ModelLabel($"n{i:D8}", $"class {i}"))];

    [Fact]
    public void Returns_the_k_largest_highest_first_with_their_labels()
    {
        float[] probabilities = [0.05f, 0.30f, 0.01f, 0.25f, 0.02f, 0.20f, 0.07f, 0.10f];

        var top = TopK.Select(probabilities, Labels, 3);

        Assert.Equal([1, 3, 5], top.Select(p => p.Index));
        Assert.Equal(["class 1", "class 3", "class 5"], top.Select(p => p.Label));
        Assert.Equal("n00000003", top[1].Synset);
        Assert.Equal(0.30f, top[0].Probability);
    }

    [Fact]
    public void Agrees_with_a_full_sort_on_random_scores()
    {
        var random = new Random(42);
        var labels = Enumerable.Range(0, 1000).Select(i => new ModelLabel(string.Empty, i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        var probabilities = Enumerable.Range(0, 1000).Select(_ => random.NextSingle()).ToArray();

        var top = TopK.Select(probabilities, labels, 10);

        var expected = probabilities.Select((p, i) => (p, i)).OrderByDescending(x => x.p).ThenBy(x => x.i).Take(10).Select(x => x.i);
        Assert.Equal(expected, top.Select(p => p.Index));
    }

    [Fact]
    public void K_larger_than_the_classes_returns_every_class()
    {
        var top = TopK.Select([0.2f, 0.8f], Labels, 5);

        Assert.Equal([1, 0], top.Select(p => p.Index));
    }
}
