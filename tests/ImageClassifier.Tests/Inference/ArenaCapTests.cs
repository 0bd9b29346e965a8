using ImageClassifier.Imaging;
using ImageClassifier.Inference;
using ImageClassifier.Tests.Harness;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Tests.Inference;

/// <summary>
/// ONNX Runtime allocates from one arena capped at ORT_ARENA_MAX_BYTES (128 MiB by default, which
/// this test process's first session fixes): a model that asks for a gibibyte fails to load or to
/// pass its check, and the process does not grow by what it asked.
/// </summary>
public sealed class ArenaCapTests : IDisposable
{
    private const long Asked = 1024L * 1024 * 1024;
    private readonly string directory = Directory.CreateTempSubdirectory("ic-arena-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task A_model_that_allocates_a_gibibyte_fails_its_load_and_the_process_does_not_grow_by_it()
    {
        var path = Path.Combine(directory, "hostile.onnx");
        await File.WriteAllBytesAsync(path, HostileModels.Allocating(Asked));
        using var classifier = new OnnxClassifier(Options.Create(new InferenceOptions { OptimizedModelDirectory = string.Empty }), TestCpuWorkers.Shared);
        var bundle = await new ModelBundleResolver(Options.Create(new InferenceOptions { ModelPath = path, LabelsPath = SharedModels.Labels }), [])
            .ResolveAsync(CancellationToken.None);

        ModelUnavailableException error;
        await using (var peak = new WorkingSetPeak())
        {
            error = await Assert.ThrowsAsync<ModelUnavailableException>(async () =>
            {
                var model = await classifier.OpenAsync(bundle, CancellationToken.None);
                try
                {
                    await new ModelOutputCheck(new TensorWriter()).VerifyAsync(model, CancellationToken.None);
                }
                finally
                {
                    model.Release();
                }
            });
            Assert.True(peak.Growth < InferenceOptions.DefaultArenaMaxBytes + (64L * 1024 * 1024),
                $"the working set grew by {peak.Growth / 1048576} MiB while the model was loaded and checked");
        }

        Assert.Equal(ModelMetrics.Outcomes.InvalidModel, error.Outcome);
        Assert.Contains("allocate", error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
