using ImageClassifier.Inference;

namespace ImageClassifier.Tests.Inference;

public class SoftmaxTests
{
    [Fact]
    public void Probabilities_match_the_definition_and_sum_to_one()
    {
        float[] logits = [1f, 2f, 3f];
        var expected = logits.Select(x => Math.Exp(x) / logits.Sum(y => Math.Exp(y))).ToArray();

        Softmax.Apply(logits);

        for (var i = 0; i < logits.Length; i++)
        {
            Assert.Equal(expected[i], logits[i], precision: 6);
        }

        Assert.Equal(1.0, logits.Sum(), precision: 5);
    }

    [Fact]
    public void Large_logits_do_not_overflow()
    {
        float[] logits = [1000f, 1000f, 990f];

        Softmax.Apply(logits);

        Assert.All(logits, p => Assert.True(float.IsFinite(p)));
        Assert.Equal(logits[0], logits[1]);
        Assert.True(logits[0] > 0.49f && logits[2] < 0.0001f);
    }
}
