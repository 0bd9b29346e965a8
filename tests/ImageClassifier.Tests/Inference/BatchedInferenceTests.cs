using ImageClassifier.Imaging;
using ImageClassifier.Inference;
using ImageClassifier.Tests.Harness;
using ImageClassifier.Tests.Harness.Fakes;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Tests.Inference;

/// <summary>
/// The real model on real images: a batch gives each image the probabilities it gets alone,
/// pooled buffers carry nothing from one request into the next, and the optimised-model cache
/// serves the same model.
/// </summary>
public sealed class BatchedInferenceTests : IAsyncLifetime
{
    private static readonly string[] Images = ["chelsea.png", "coffee.png", "astronaut.png", "rocket.jpg"];

    private readonly string cacheDirectory = Path.Combine(Path.GetTempPath(), "ic-tests-" + Guid.NewGuid().ToString("N"));
    private OnnxClassifier classifier = null!;

    public async Task InitializeAsync()
    {
        classifier = New(new InferenceOptions { OptimizedModelDirectory = cacheDirectory });
        await classifier.LoadAsync(await MobileNetAsync(), CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        classifier.Dispose();
        Directory.Delete(cacheDirectory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_batch_gives_each_image_the_probabilities_it_gets_alone()
    {
        var length = classifier.Preprocessing.TensorLength;
        var batch = new float[Images.Length * length];
        for (var i = 0; i < Images.Length; i++)
        {
            Tensor(Images[i]).CopyTo(batch, i * length);
        }

        var logits = await classifier.InferLogitsAsync(batch, Images.Length, CancellationToken.None);

        for (var i = 0; i < Images.Length; i++)
        {
            var batched = logits.AsSpan(i * classifier.ClassCount, classifier.ClassCount).ToArray();
            Softmax.Apply(batched);
            var alone = await AllProbabilitiesAsync(classifier, Tensor(Images[i]));
            for (var index = 0; index < batched.Length; index++)
            {
                Assert.True(Math.Abs(batched[index] - alone[index]) <= 1e-5f,
                    $"{Images[i]}, class {index}: {batched[index]} in the batch, {alone[index]} alone");
            }
        }
    }

    [Fact]
    public async Task Requests_in_a_row_each_get_their_own_image_s_answer()
    {
        var func = TestFunc.Create(new FakeImageFetcher(), Loader(), new TensorWriter(), classifier);

        var cat = await func.HandleAsync(Request("chelsea.png"), CancellationToken.None);
        var coffee = await func.HandleAsync(Request("coffee.png"), CancellationToken.None);
        var catAgain = await func.HandleAsync(Request("chelsea.png"), CancellationToken.None);

        Assert.Equal("espresso", coffee.Predictions[0].Label);
        Assert.Contains(cat.Predictions[0].Label, new[] { "Egyptian cat", "tiger cat", "tabby, tabby cat" });
        Assert.Equal(cat.Predictions, catAgain.Predictions);
    }

    [Fact]
    public async Task The_optimised_model_kept_in_the_cache_answers_as_the_original_does()
    {
        Assert.Single(Directory.GetFiles(cacheDirectory, $"{classifier.Model.Sha256}-*.onnx"));
        using var fromCache = New(new InferenceOptions { OptimizedModelDirectory = cacheDirectory });
        using var uncached = New(new InferenceOptions { OptimizedModelDirectory = "" });
        await fromCache.LoadAsync(await MobileNetAsync(), CancellationToken.None);
        await uncached.LoadAsync(await MobileNetAsync(), CancellationToken.None);

        var tensor = Tensor("coffee.png");

        Assert.Equal(await AllProbabilitiesAsync(uncached, tensor), await AllProbabilitiesAsync(fromCache, tensor));
    }

    [Fact]
    public async Task A_cancelled_request_does_not_run()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => classifier.ClassifyAsync(Tensor("coffee.png"), 5, cancelled.Token));
    }

    private static async Task<float[]> AllProbabilitiesAsync(OnnxClassifier model, float[] tensor)
    {
        var predictions = await model.ClassifyAsync(tensor, model.ClassCount, CancellationToken.None);
        var probabilities = new float[model.ClassCount];
        foreach (var prediction in predictions)
        {
            probabilities[prediction.Index] = prediction.Probability;
        }

        return probabilities;
    }

    private float[] Tensor(string image)
    {
        var loader = Loader();
        using var decoded = loader.Load(loader.Identify(TestImages.Read(image)));
        using var pixels = ImagePreprocessor.ToDecodedImage(decoded);
        var tensor = new float[classifier.Preprocessing.TensorLength];
        new TensorWriter().Write(pixels, classifier.Preprocessing, tensor);
        return tensor;
    }

    private static ClassificationRequest Request(string image) => new(null, TestImages.Read(image), 5);

    private static ImageSharpLoader Loader() => new(Options.Create(new ImagingOptions()));

    private static OnnxClassifier New(InferenceOptions options) => new(Options.Create(options), TestCpuWorkers.Shared);

    private static Task<ModelBundle> MobileNetAsync() =>
        new ModelBundleResolver(Options.Create(new InferenceOptions()), []).ResolveAsync(CancellationToken.None);
}
