using BenchmarkDotNet.Attributes;
using ImageClassifier.Imaging;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Microbenchmarks;

/// <summary>
/// Bytes → pixels of the 768x576 JPEG: the function's loader as a request uses it (header,
/// plan, decode at the planned size), its header reading alone, and a decode of every pixel.
/// </summary>
[MemoryDiagnoser]
public class DecodeBenchmarks
{
    private readonly SkiaImageLoader loader = new(Options.Create(new ImagingOptions()));
    private readonly byte[] jpeg = BenchAssets.Jpeg;

    [Benchmark(Baseline = true, Description = "loader: header + plan + decode for the ImageNet spec")]
    public int Loader()
    {
        using var image = loader.Load(loader.Identify(jpeg, PreprocessingSpec.ImageNet.ResizedSize), Deadline());
        return image.Width;
    }

    [Benchmark(Description = "loader: header and plan only")]
    public long Identify() => loader.Identify(jpeg, PreprocessingSpec.ImageNet.ResizedSize).DecodeBytes;

    [Benchmark(Description = "loader: every pixel")]
    public int FullSize()
    {
        using var image = loader.Load(loader.Identify(jpeg, static (width, height) => (width, height)), Deadline());
        return image.Width;
    }

    private static DecodeDeadline Deadline() => new(TimeProvider.System, TimeSpan.FromMinutes(1), CancellationToken.None);
}
