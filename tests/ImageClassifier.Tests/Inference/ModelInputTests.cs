using ImageClassifier.Imaging;
using ImageClassifier.Inference;
using ImageClassifier.Tests.Harness;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Tests.Inference;

/// <summary>
/// The layout and size come from the ONNX input itself, on the community models: a tf2onnx
/// Keras model is NHWC, a grey one has one channel, PaddleOCR's dynamic height and width take
/// the preprocessing's size, and a stated size the graph contradicts is refused naming both.
/// </summary>
public sealed class ModelInputTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("ic-input-").FullName;
    private readonly OnnxClassifier classifier;

    public ModelInputTests() => classifier = new OnnxClassifier(Options.Create(new InferenceOptions { OptimizedModelDirectory = directory }), TestCpuWorkers.Shared);

    public void Dispose()
    {
        classifier.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [Theory]
    [InlineData("keras-cifar10-cnn", "cifar10_model.onnx", TensorLayout.Nhwc, ChannelOrder.Rgb, 32, 32)]
    [InlineData("keras-fer2013-mini-xception", "fer2013_mini_XCEPTION.onnx", TensorLayout.Nhwc, ChannelOrder.Grey, 48, 48)]
    [InlineData("mobilenet", "", TensorLayout.Nchw, ChannelOrder.Rgb, 224, 224)]
    public async Task The_layout_channels_and_size_of_an_unstated_preprocessing_come_from_the_graph(
        string model, string file, TensorLayout layout, ChannelOrder channels, int height, int width)
    {
        var path = file.Length == 0 ? SharedModels.MobileNet : SharedModels.CommunityFile(model, file);
        var labels = file.Length == 0 ? 1000 : (await File.ReadAllLinesAsync(SharedModels.CommunityFile(model, "labels.txt"))).Count(line => line.Length > 0);
        var loaded = await classifier.OpenAsync(Bundle(path, labels, PreprocessingSpec.ImageNet), CancellationToken.None);
        try
        {
            var spec = loaded.Preprocessing;
            Assert.Equal((layout, channels, height, width), (spec.Layout, spec.Channels, spec.Height, spec.Width));
            Assert.Equal(spec.ChannelCount, spec.Mean.Length);
            Assert.True(spec.ResizeShorterSide >= Math.Max(height, width));

            var predictions = await loaded.ClassifyAsync(new float[spec.TensorLength], labels, CancellationToken.None);
            Assert.Equal(labels, predictions.Count);
        }
        finally
        {
            loaded.Release();
        }
    }

    [Fact]
    public async Task Dynamic_height_and_width_take_the_stated_size()
    {
        var stated = PreprocessingSpec.ImageNet with { Resize = ResizeMode.Pad, Height = 48, Width = 192, Channels = ChannelOrder.Bgr };
        var loaded = await classifier.OpenAsync(
            Bundle(SharedModels.CommunityFile("paddleocr-textline-cls-v2", "ch_ppocr_mobile_v2.0_cls_infer.onnx"), 2, stated) with { Stated = StatedPreprocessing.Size | StatedPreprocessing.Channels },
            CancellationToken.None);
        try
        {
            var spec = loaded.Preprocessing;
            Assert.Equal((TensorLayout.Nchw, ChannelOrder.Bgr, 48, 192), (spec.Layout, spec.Channels, spec.Height, spec.Width));
            Assert.Equal([-1L, 3, -1, -1], loaded.Signature.InputShape);
        }
        finally
        {
            loaded.Release();
        }
    }

    [Fact]
    public async Task A_stated_size_the_graph_contradicts_is_refused_naming_both()
    {
        var bundle = Bundle(SharedModels.CommunityFile("keras-cifar10-cnn", "cifar10_model.onnx"), 10, PreprocessingSpec.ImageNet)
            with
        { Stated = StatedPreprocessing.Size, PreprocessingSource = "MLmodel" };

        var error = await Assert.ThrowsAsync<ModelUnavailableException>(() => classifier.OpenAsync(bundle, CancellationToken.None));

        Assert.Equal(ModelMetrics.Outcomes.InvalidModel, error.Outcome);
        Assert.Contains("32x32 (height x width), but its preprocessing (MLmodel) says 224x224", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, classifier.OpenSessions);
    }

    [Theory]
    [InlineData(null, ModelOutput.Probabilities)]
    [InlineData(ModelOutput.Probabilities, ModelOutput.Probabilities)]
    public async Task A_graph_that_ends_in_a_softmax_is_served_its_own_probabilities_without_a_second_softmax(ModelOutput? stated, ModelOutput decided)
    {
        var loaded = await classifier.OpenAsync(
            Bundle(SharedModels.CommunityFile("keras-cifar10-cnn", "cifar10_model.onnx"), 10, PreprocessingSpec.ImageNet) with { Output = stated },
            CancellationToken.None);
        try
        {
            var output = await new ModelOutputCheck(new TensorWriter()).VerifyAsync(loaded, stated, CancellationToken.None);
            loaded.ServeOutputAs(output);
            var tensor = Enumerable.Range(0, loaded.Preprocessing.TensorLength).Select(i => (i % 7) / 7f).ToArray();

            var raw = await loaded.InferLogitsAsync(tensor, 1, CancellationToken.None);
            var predictions = await loaded.ClassifyAsync(tensor, 10, CancellationToken.None);

            Assert.Equal(decided, output);
            Assert.All(predictions, prediction => Assert.Equal(raw[prediction.Index], prediction.Probability, 6));
        }
        finally
        {
            loaded.Release();
        }
    }

    [Fact]
    public async Task A_logits_model_is_found_to_be_one_and_gets_its_softmax()
    {
        var loaded = await classifier.OpenAsync(Bundle(SharedModels.MobileNet, 1000, PreprocessingSpec.ImageNet), CancellationToken.None);
        try
        {
            Assert.Equal(ModelOutput.Logits, await new ModelOutputCheck(new TensorWriter()).VerifyAsync(loaded, CancellationToken.None));
        }
        finally
        {
            loaded.Release();
        }
    }

    [Fact]
    public async Task A_swap_to_a_model_with_other_preprocessing_is_atomic_and_each_lease_keeps_its_version_s()
    {
        await classifier.LoadAsync(Bundle(SharedModels.MobileNet, 1000, PreprocessingSpec.ImageNet), CancellationToken.None);
        using var before = classifier.Acquire();
        var cifar = await classifier.OpenAsync(
            Bundle(SharedModels.CommunityFile("keras-cifar10-cnn", "cifar10_model.onnx"), 10, PreprocessingSpec.ImageNet), CancellationToken.None);

        classifier.Serve(cifar, heldUntilRetired: null);
        using var after = classifier.Acquire();

        Assert.Equal((224, TensorLayout.Nchw, 1000), (before.Preprocessing.Width, before.Preprocessing.Layout, before.ClassCount));
        Assert.Equal((32, TensorLayout.Nhwc, 10), (after.Preprocessing.Width, after.Preprocessing.Layout, after.ClassCount));
        Assert.Equal(3, (await before.ClassifyAsync(new float[before.Preprocessing.TensorLength], 3, CancellationToken.None)).Count);
        Assert.Equal(3, (await after.ClassifyAsync(new float[after.Preprocessing.TensorLength], 3, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task A_registered_model_without_labels_of_its_own_gets_class_numbers_when_the_default_labels_do_not_fit()
    {
        var bundle = Bundle(SharedModels.CommunityFile("keras-cifar10-cnn", "cifar10_model.onnx"), 1000, PreprocessingSpec.ImageNet) with { LabelsAssumed = true };

        var loaded = await classifier.OpenAsync(bundle, CancellationToken.None);
        try
        {
            Assert.Equal(10, loaded.ClassCount);
            Assert.Equal(["class 0", "class 9"], new[] { loaded.Bundle.Labels[0].Name, loaded.Bundle.Labels[9].Name });
        }
        finally
        {
            loaded.Release();
        }
    }

    private static ModelBundle Bundle(string path, int classes, PreprocessingSpec spec) =>
        new(Path.GetFileNameWithoutExtension(path), path, null, [.. Enumerable.Range(0, classes).Select(i => ModelLabel.Parse($"class {i}"))], spec);
}
