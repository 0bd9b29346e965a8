using ImageClassifier.Imaging;
using ImageClassifier.Inference;
using ImageClassifier.Tests.Harness;
using ImageClassifier.Tests.Imaging;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ImageClassifier.Tests.Inference;

/// <summary>
/// Decoding at the size the model needs changes no answer: on the sample photos the real model's
/// top-1 from the reduced decode the function does is the top-1 from a decode of every pixel.
/// </summary>
public sealed class ReducedDecodeAccuracyTests : IAsyncLifetime
{
    private static readonly SkiaImageLoader Loader = new(Options.Create(new ImagingOptions()));
    private readonly OnnxClassifier classifier = new(Options.Create(new InferenceOptions { OptimizedModelDirectory = "" }), TestCpuWorkers.Shared);

    /// <summary>The samples large enough to be decoded at a reduced scale (smaller ones are decoded whole).</summary>
    public static TheoryData<string> Photos => new()
    {
        TestImages.PathOf("coffee-baseline.jpg"),
        TestImages.PathOf("coffee-progressive.jpg"),
        SharedModels.CommunityFile("keras-cifar10-cnn", "sample_car.jpg"),
        SharedModels.CommunityFile("keras-cifar10-cnn", "sample_bird.jpg"),
        PhoneSized("coffee.png"),
        PhoneSized("chelsea.png"),
    };

    public async Task InitializeAsync() =>
        await classifier.LoadAsync(await new ModelBundleResolver(Options.Create(new InferenceOptions()), []).ResolveAsync(CancellationToken.None), CancellationToken.None);

    public Task DisposeAsync()
    {
        classifier.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [MemberData(nameof(Photos))]
    public async Task The_reduced_decode_gives_the_full_decodes_top_1(string path)
    {
        var bytes = await File.ReadAllBytesAsync(path);
        var spec = classifier.Preprocessing;
        var reduced = Loader.Identify(bytes, spec.ResizedSize);
        var full = Loader.Identify(bytes, static (width, height) => (width, height));

        var fromReduced = await Top1Async(reduced);
        var fromFull = await Top1Async(full);

        Assert.True(reduced.Plan.DecodeWidth < full.Plan.DecodeWidth, $"{Path.GetFileName(path)} was decoded at full size");
        Assert.Equal(fromFull.Label, fromReduced.Label);
    }

    /// <summary>A sample scaled up to a phone's 4032 x 3024 and saved as a quality-92 baseline JPEG, in a temporary file.</summary>
    private static string PhoneSized(string sample)
    {
        var path = Path.Combine(Path.GetTempPath(), $"ic-phone-{Path.GetFileNameWithoutExtension(sample)}.jpg");
        using var image = Image.Load<Rgb24>(TestImages.Read(sample));
        image.Mutate(x => x.Resize(4032, 3024));
        image.SaveAsJpeg(path, new JpegEncoder { Quality = 92 });
        return path;
    }

    private async Task<Prediction> Top1Async(ImageHeader header)
    {
        var tensor = new float[classifier.Preprocessing.TensorLength];
        using (var pixels = Loader.Load(header, DecodedImages.NoDeadline))
        {
            new TensorWriter().Write(pixels, classifier.Preprocessing, tensor);
        }

        return (await classifier.ClassifyAsync(tensor, 1, CancellationToken.None))[0];
    }
}
