using ImageClassifier.Failures;
using ImageClassifier.Imaging;
using ImageClassifier.Inference;
using ImageClassifier.Tests.Harness;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Tests.Inference;

public class OnnxClassifierTests
{
    private const string PinnedSha256 = "cc028fe6cae7bc11a4ff53cfc9b79c920e8be65ce33a904ec3e2a8f66d77f95f";

    [Fact]
    public async Task The_bundled_model_is_the_pinned_one_with_1000_labels()
    {
        using var classifier = NewClassifier();

        await classifier.LoadAsync(await Resolve(new InferenceOptions()), CancellationToken.None);

        Assert.True(classifier.IsReady);
        Assert.Equal(new ModelInfo("mobilenetv2-12-int8", PinnedSha256), classifier.Model);
        Assert.Equal(1000, classifier.ClassCount);
        Assert.Equal(PreprocessingSpec.ImageNet.Width, classifier.Preprocessing.Width);
    }

    [Fact]
    public async Task MODEL_PATH_serves_another_classifier_with_a_fixed_batch_of_one()
    {
        using var classifier = NewClassifier();
        var bundle = await Resolve(new InferenceOptions { ModelPath = SharedModels.ShuffleNet, LabelsPath = SharedModels.Labels });

        await classifier.LoadAsync(bundle, CancellationToken.None);
        var predictions = await classifier.ClassifyAsync(new float[bundle.Preprocessing.TensorLength], 3, CancellationToken.None);

        Assert.Equal("shufflenet-v2-12-int8", classifier.Model.Name);
        Assert.Equal(3, predictions.Count);
        Assert.True(predictions[0].Probability >= predictions[1].Probability);
    }

    [Fact]
    public async Task A_label_file_that_does_not_fit_the_output_is_refused_at_load()
    {
        var labels = Path.GetTempFileName();
        await File.WriteAllLinesAsync(labels, ["cat", "dog"]);
        using var classifier = NewClassifier();
        var bundle = await Resolve(new InferenceOptions { ModelPath = SharedModels.MobileNet, LabelsPath = labels });

        var error = await Assert.ThrowsAsync<ModelUnavailableException>(() => classifier.LoadAsync(bundle, CancellationToken.None));

        Assert.Equal(ModelMetrics.Outcomes.InvalidModel, error.Outcome);
        Assert.Contains("[-1,1000]", error.Message, StringComparison.Ordinal);
        Assert.Contains("(2 lines)", error.Message, StringComparison.Ordinal);
        Assert.False(classifier.IsReady);
        Assert.Equal(0, classifier.OpenSessions);
    }

    [Fact]
    public async Task A_model_whose_hash_differs_from_the_pin_is_refused()
    {
        using var classifier = NewClassifier();
        var bundle = await Resolve(new InferenceOptions()) with { ExpectedSha256 = new string('0', 64) };

        var error = await Assert.ThrowsAsync<ModelUnavailableException>(() => classifier.LoadAsync(bundle, CancellationToken.None));

        Assert.Equal(ModelMetrics.Outcomes.HashMismatch, error.Outcome);
        Assert.False(classifier.IsReady);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_batch_gives_the_logits_of_each_image_run_alone(bool shuffleNet)
    {
        using var classifier = NewClassifier();
        var settings = shuffleNet ? new InferenceOptions { ModelPath = SharedModels.ShuffleNet } : new InferenceOptions();
        await classifier.LoadAsync(await Resolve(settings), CancellationToken.None);
        var length = classifier.Preprocessing.TensorLength;
        var random = new Random(7);
        var batch = Enumerable.Range(0, 2 * length).Select(_ => random.NextSingle() * 4 - 2).ToArray();

        var together = await classifier.InferLogitsAsync(batch, 2, CancellationToken.None);
        var first = await classifier.InferLogitsAsync(batch.AsMemory(0, length), 1, CancellationToken.None);
        var second = await classifier.InferLogitsAsync(batch.AsMemory(length, length), 1, CancellationToken.None);

        Assert.Equal(shuffleNet, classifier.Signature.FixedBatchOfOne);
        Assert.Equal(2 * classifier.ClassCount, together.Length);
        Assert.Equal(first.Concat(second), together, (a, b) => MathF.Abs(a - b) < 1e-3f);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task Before_loading_it_answers_unavailable()
    {
        using var classifier = NewClassifier();

        var error = await Assert.ThrowsAsync<ClassificationException>(
            () => classifier.ClassifyAsync(new float[10], 1, CancellationToken.None));

        Assert.Equal(Problems.NotReady, error.Type);
    }

    [Fact]
    public async Task A_missing_MODEL_PATH_names_the_variable()
    {
        var error = await Assert.ThrowsAsync<FileNotFoundException>(
            () => Resolve(new InferenceOptions { ModelPath = "/nonexistent/model.onnx" }));

        Assert.Contains("MODEL_PATH", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_registry_model_and_MODEL_PATH_together_are_refused_naming_both()
    {
        var resolver = new ModelBundleResolver(Options.Create(new InferenceOptions { ModelPath = SharedModels.ShuffleNet }), [new RequestedSource()]);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => resolver.ResolveAsync(CancellationToken.None));

        Assert.Equal("MODEL_URI and MODEL_PATH name 2 models: set only one.", error.Message);
    }

    private static OnnxClassifier NewClassifier() => new(Options.Create(new InferenceOptions()), TestCpuWorkers.Shared);

    /// <summary>A registry the settings ask for, which must never be asked for the files here.</summary>
    private sealed class RequestedSource : IModelSource
    {
        public string Setting => "MODEL_URI";

        public bool IsRequested => true;

        public bool CanMove => true;

        public Task<SourcedModel> FetchAsync(CancellationToken cancellationToken) => Refuse<SourcedModel>();

        public Task<string> GetCurrentVersionAsync(CancellationToken cancellationToken) => Refuse<string>();

        public Task<SourcedModel> FetchVersionAsync(string version, CancellationToken cancellationToken) => Refuse<SourcedModel>();

        private static Task<T> Refuse<T>() => throw new InvalidOperationException("The source was asked although the settings conflict.");
    }

    private static Task<ModelBundle> Resolve(InferenceOptions options) =>
        new ModelBundleResolver(Options.Create(options), []).ResolveAsync(CancellationToken.None);
}
