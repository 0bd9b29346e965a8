using BenchmarkDotNet.Attributes;
using ImageClassifier.Imaging;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Microbenchmarks;

/// <summary>
/// Bytes → pixels of the 768x576 JPEG: the function's loader as a request uses it (header,
/// plan, decode at the planned size of the part the resize reads), its header reading alone, and
/// a decode of every pixel.
/// </summary>
[MemoryDiagnoser]
public class DecodeBenchmarks
{
    private readonly SkiaImageLoader loader = new(Options.Create(new ImagingOptions()));
    private readonly TensorWriter writer = new();
    private readonly byte[] jpeg = BenchAssets.Jpeg;

    [Benchmark(Baseline = true, Description = "loader: header + plan + decode for the ImageNet spec")]
    public int Loader()
    {
        var spec = PreprocessingSpec.ImageNet;
        var header = loader.Identify(jpeg, spec.ResizedSize);
        using var image = loader.Load(header, writer.Reads(header.Scaled, header.Facts.Upright, spec), Deadline());
        return image.Width;
    }

    [Benchmark(Description = "loader: header and plan only")]
    public long Identify() => loader.Identify(jpeg, PreprocessingSpec.ImageNet.ResizedSize).DecodeBytes;

    [Benchmark(Description = "loader: every pixel")]
    public int FullSize()
    {
        var header = loader.Identify(jpeg, static (width, height) => (width, height));
        using var image = loader.Load(header, PixelRegion.Whole(header.Width, header.Height), Deadline());
        return image.Width;
    }

    private static DecodeDeadline Deadline() => new(TimeProvider.System, TimeSpan.FromMinutes(1), CancellationToken.None);
}
