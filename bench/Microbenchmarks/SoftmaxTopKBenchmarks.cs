using BenchmarkDotNet.Attributes;
using ImageClassifier.Inference;

namespace ImageClassifier.Microbenchmarks;

/// <summary>1000 logits → the top five predictions.</summary>
[MemoryDiagnoser]
public class SoftmaxTopKBenchmarks
{
    private readonly float[] logits = new float[1000];
    private readonly float[] scores = new float[1000];
    private readonly IReadOnlyList<ModelLabel> labels = BenchAssets.MobileNet().Labels;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        for (var i = 0; i < logits.Length; i++)
        {
            logits[i] = (float)((random.NextDouble() * 20) - 10);
        }
    }

    [Benchmark(Description = "softmax + top-5 of 1000")]
    public int SoftmaxTopK()
    {
        logits.CopyTo(scores, 0);
        Softmax.Apply(scores);
        return TopK.Select(scores, labels, 5).Length;
    }
}
