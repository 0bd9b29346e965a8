using System.Security.Cryptography;
using ImageClassifier.Imaging;
using ImageClassifier.Inference;
using ImageClassifier.Tests.Harness;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Tests.Inference;

/// <summary>
/// Swapping the model under requests, on the two real models: a request keeps the model it
/// started with, the old session closes after its last request and not before, what was reserved
/// for the second session is given back then, and a model that would answer badly never serves.
/// </summary>
public sealed class ModelSwapTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("ic-swap-").FullName;
    private readonly OnnxClassifier classifier;

    public ModelSwapTests() => classifier = new OnnxClassifier(Options.Create(new InferenceOptions { OptimizedModelDirectory = directory }), TestCpuWorkers.Shared);

    public void Dispose()
    {
        classifier.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task A_request_keeps_its_model_across_a_swap_and_the_old_session_closes_after_its_last_request()
    {
        await classifier.LoadAsync(await BundleAsync(SharedModels.MobileNet), CancellationToken.None);
        var held = classifier.Acquire();
        var shuffleNet = await classifier.OpenAsync(await BundleAsync(SharedModels.ShuffleNet), CancellationToken.None);

        classifier.Serve(shuffleNet, heldUntilRetired: null);

        using (var after = classifier.Acquire())
        {
            Assert.Equal(Sha256Of(SharedModels.ShuffleNet), after.Model.Sha256);
        }

        Assert.Equal(Sha256Of(SharedModels.MobileNet), held.Model.Sha256);
        Assert.Equal(2, classifier.OpenSessions);
        var zeros = new float[held.Preprocessing.TensorLength];
        var oldLogits = await held.InferLogitsAsync(zeros, 1, CancellationToken.None);
        var newLogits = await classifier.InferLogitsAsync(zeros, 1, CancellationToken.None);
        Assert.NotEqual(newLogits, oldLogits);
        Assert.Equal(2, classifier.OpenSessions);

        held.Dispose();

        await Eventually.WaitAsync(() => classifier.OpenSessions == 1, "the swapped-out session was not closed after its last request");
        Assert.Equal(Sha256Of(SharedModels.ShuffleNet), classifier.Model.Sha256);
    }

    [Fact]
    public async Task What_was_reserved_for_the_second_session_is_given_back_when_the_old_one_closes()
    {
        await classifier.LoadAsync(await BundleAsync(SharedModels.MobileNet), CancellationToken.None);
        var held = classifier.Acquire();
        var reservation = new Reservation();

        classifier.Serve(await classifier.OpenAsync(await BundleAsync(SharedModels.ShuffleNet), CancellationToken.None), reservation);

        Assert.False(reservation.IsReleased);
        held.Dispose();
        await Eventually.WaitAsync(() => reservation.IsReleased, "the reservation was kept after the old session closed");
        Assert.Equal(1, classifier.OpenSessions);
    }

    [Fact]
    public async Task Requests_running_through_repeated_swaps_never_meet_a_closed_session()
    {
        var bundles = new[] { await BundleAsync(SharedModels.MobileNet), await BundleAsync(SharedModels.ShuffleNet) };
        await classifier.LoadAsync(bundles[0], CancellationToken.None);
        var models = bundles.Select(bundle => Sha256Of(bundle.ModelPath)).ToHashSet();
        using var stop = new CancellationTokenSource();
        var answered = new int[4];
        var workers = Enumerable.Range(0, answered.Length).Select(worker => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var model = classifier.Acquire();
                var predictions = await model.ClassifyAsync(new float[model.Preprocessing.TensorLength], 1, CancellationToken.None);
                Assert.Single(predictions);
                Assert.Contains(model.Model.Sha256, models);
                Interlocked.Increment(ref answered[worker]);
            }
        })).ToArray();

        for (var swap = 1; swap <= 6; swap++)
        {
            var before = answered.Sum();
            classifier.Serve(await classifier.OpenAsync(bundles[swap % 2], CancellationToken.None), heldUntilRetired: null);
            await Eventually.WaitAsync(() => answered.Sum() > before + answered.Length, "the requests stopped being answered");
        }

        await stop.CancelAsync();
        await Task.WhenAll(workers);
        Assert.All(answered, count => Assert.True(count > 0));
        await Eventually.WaitAsync(() => classifier.OpenSessions == 1, "sessions were left open after the swaps");
    }

    [Fact]
    public async Task A_model_that_answers_NaN_opens_and_runs_but_fails_the_output_check()
    {
        var path = Path.Combine(directory, "nan.onnx");
        await File.WriteAllBytesAsync(path, BrokenModels.AnsweringNaN(await File.ReadAllBytesAsync(SharedModels.ShuffleNet)));
        var candidate = await classifier.OpenAsync(await BundleAsync(path), CancellationToken.None);

        var error = await Assert.ThrowsAsync<ModelUnavailableException>(() => OutputCheck().VerifyAsync(candidate, CancellationToken.None));

        Assert.Equal(ModelMetrics.Outcomes.BadOutput, error.Outcome);
        Assert.Contains("class 0 gets NaN", error.Message, StringComparison.Ordinal);
        candidate.Release();
        await Eventually.WaitAsync(() => classifier.OpenSessions == 0, "the refused candidate's session was not closed");
        Assert.False(classifier.IsReady);
    }

    [Fact]
    public async Task The_output_check_passes_a_real_model_and_refuses_infinite_logits()
    {
        var mobileNet = await classifier.OpenAsync(await BundleAsync(SharedModels.MobileNet), CancellationToken.None);
        await OutputCheck().VerifyAsync(mobileNet, CancellationToken.None);
        mobileNet.Release();

        var error = await Assert.ThrowsAsync<ModelUnavailableException>(() => OutputCheck().VerifyAsync(new InfiniteModel(), CancellationToken.None));

        Assert.Equal(ModelMetrics.Outcomes.BadOutput, error.Outcome);
    }

    [Fact]
    public async Task A_file_cut_short_is_an_invalid_model_and_leaves_no_session()
    {
        var path = Path.Combine(directory, "truncated.onnx");
        await File.WriteAllBytesAsync(path, BrokenModels.Truncated(await File.ReadAllBytesAsync(SharedModels.MobileNet)));

        var error = await Assert.ThrowsAsync<ModelUnavailableException>(async () => await classifier.OpenAsync(await BundleAsync(path), CancellationToken.None));

        Assert.Equal(ModelMetrics.Outcomes.InvalidModel, error.Outcome);
        Assert.Contains("does not open as an ONNX model", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, classifier.OpenSessions);
    }

    [Theory]
    [InlineData(TensorLayout.Nhwc, ChannelOrder.Rgb, StatedPreprocessing.Layout, "NCHW, but its preprocessing (test) says NHWC")]
    [InlineData(TensorLayout.Nchw, ChannelOrder.Grey, StatedPreprocessing.Channels, "3 channel(s), but its preprocessing (test) says grey")]
    public async Task A_model_whose_input_contradicts_the_stated_preprocessing_is_invalid(TensorLayout layout, ChannelOrder channels, StatedPreprocessing stated, string named)
    {
        var bundle = await BundleAsync(SharedModels.MobileNet);
        var spec = channels == ChannelOrder.Grey
            ? bundle.Preprocessing with { Layout = layout, Channels = channels, Mean = [0.5f], Std = [0.5f] }
            : bundle.Preprocessing with { Layout = layout, Channels = channels };

        var error = await Assert.ThrowsAsync<ModelUnavailableException>(() =>
            classifier.OpenAsync(bundle with { Preprocessing = spec, Stated = stated, PreprocessingSource = "test" }, CancellationToken.None));

        Assert.Equal(ModelMetrics.Outcomes.InvalidModel, error.Outcome);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, classifier.OpenSessions);
    }

    private static Task<ModelBundle> BundleAsync(string modelPath) =>
        new ModelBundleResolver(Options.Create(new InferenceOptions { ModelPath = modelPath, LabelsPath = SharedModels.Labels }), [])
            .ResolveAsync(CancellationToken.None);

    private static ModelOutputCheck OutputCheck() => new(new TensorWriter());

    private static string Sha256Of(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    private sealed class Reservation : IDisposable
    {
        public bool IsReleased { get; private set; }

        public void Dispose() => IsReleased = true;
    }

    /// <summary>A model whose first class's logit is +∞: its softmax is NaN.</summary>
    private sealed class InfiniteModel : IModelSession
    {
        public ModelInfo Model { get; } = new("infinite", new string('0', 64));

        public PreprocessingSpec Preprocessing => PreprocessingSpec.ImageNet;

        public int ClassCount => 1000;

        public ModelSignature Signature { get; } = new("input", [-1, 3, 224, 224], "output", [-1, 1000]);

        public Task<float[]> InferLogitsAsync(ReadOnlyMemory<float> tensors, int batchSize, CancellationToken cancellationToken)
        {
            var logits = new float[batchSize * ClassCount];
            logits[0] = float.PositiveInfinity;
            return Task.FromResult(logits);
        }

        public Task<IReadOnlyList<Prediction>> ClassifyAsync(ReadOnlyMemory<float> tensor, int topK, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
