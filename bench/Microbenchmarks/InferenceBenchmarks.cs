using BenchmarkDotNet.Attributes;
using ImageClassifier.Inference;
using ImageClassifier.Scheduling;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Microbenchmarks;

/// <summary>
/// Tensor → logits through the shared session, batch 1 and batch N, per ONNX Runtime thread
/// setting; the per-image cost is the mean divided by the batch size.
/// </summary>
[MemoryDiagnoser]
public class InferenceBenchmarks
{
    private OnnxClassifier classifier = null!;
    private readonly CpuWorkers cpu = new(Options.Create(new CpuWorkOptions()));
    private float[] tensors = null!;

    [Params(1, 2)]
    public int IntraOpThreads { get; set; }

    [Params(1, 4, 8)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        classifier = new OnnxClassifier(Options.Create(new InferenceOptions { IntraOpThreads = IntraOpThreads }), cpu);
        var bundle = BenchAssets.MobileNet();
        classifier.LoadAsync(bundle, CancellationToken.None).GetAwaiter().GetResult();
        tensors = new float[BatchSize * bundle.Preprocessing.TensorLength];
        var random = new Random(42);
        for (var i = 0; i < tensors.Length; i++)
        {
            // Values in the range a normalised image gives.
            tensors[i] = (float)((random.NextDouble() * 4) - 2);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        classifier.Dispose();
        cpu.Dispose();
    }

    [Benchmark(Description = "InferLogitsAsync (batch of BatchSize)")]
    public async Task<float> Logits()
    {
        var logits = await classifier.InferLogitsAsync(tensors, BatchSize, CancellationToken.None);
        return logits[0];
    }
}
