using BenchmarkDotNet.Attributes;
using ImageClassifier.Imaging;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ImageClassifier.Microbenchmarks;

/// <summary>
/// Decoded 768x576 pixels → the 3x224x224 normalised tensor, against what it replaced: an
/// ImageSharp resize into the crop window (the writer's first version, which then wrote the
/// planes from those pixels).
/// </summary>
[MemoryDiagnoser]
public class PreprocessBenchmarks
{
    private readonly TensorWriter writer = new TensorWriter();
    private readonly PreprocessingSpec spec = PreprocessingSpec.ImageNet;
    private readonly float[] tensor = new float[PreprocessingSpec.ImageNet.TensorLength];
    private Image<Rgb24> image = null!;
    private DecodedImage decoded = null!;
    private DecodedImage cropped = null!;
    private DecodedImage halfScale = null!;

    [GlobalSetup]
    public void Setup()
    {
        var loader = new SkiaImageLoader(Options.Create(new ImagingOptions()));
        image = Image.Load<Rgb24>(BenchAssets.Jpeg);
        var header = loader.Identify(BenchAssets.Jpeg, static (width, height) => (width, height));
        decoded = loader.Load(
            header,
            PixelRegion.Whole(header.Width, header.Height),
            new DecodeDeadline(TimeProvider.System, TimeSpan.FromMinutes(1), CancellationToken.None));
        cropped = new DecodedImage(spec.Width, spec.Height, spec.Width, spec.Height);
        var scaled = loader.Identify(BenchAssets.Jpeg, spec.ResizedSize);
        halfScale = loader.Load(
            scaled,
            writer.Reads(scaled.Scaled, scaled.Facts.Upright, spec),
            new DecodeDeadline(TimeProvider.System, TimeSpan.FromMinutes(1), CancellationToken.None));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        image.Dispose();
        decoded.Dispose();
        cropped.Dispose();
        halfScale.Dispose();
    }

    [Benchmark(Baseline = true, Description = "writer: resize 768x576 into the crop + normalise")]
    public void ResizeAndNormalise() => writer.Write(decoded, spec, tensor);

    [Benchmark(Description = "writer: the part of the 1/2-scale decode the crop reads, as the function does")]
    public void ResizeHalfScale() => writer.Write(halfScale, spec, tensor);

    [Benchmark(Description = "writer: normalise only (224x224 input)")]
    public void NormaliseOnly() => writer.Write(cropped, spec, tensor);

    [Benchmark(Description = "before: ImageSharp resize into the crop window alone")]
    public int ImageSharpResizeIntoWindow()
    {
        var resized = new Size(341, 256);
        using var window = image.Clone(x => x.Resize(new ResizeOptions
        {
            Mode = SixLabors.ImageSharp.Processing.ResizeMode.Manual,
            Size = new Size(spec.Width, spec.Height),
            TargetRectangle = new Rectangle(new Point(-58, -16), resized),
            Sampler = KnownResamplers.Triangle,
        }));
        return window.Width;
    }
}
