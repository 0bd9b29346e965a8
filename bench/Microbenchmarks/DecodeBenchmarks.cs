using BenchmarkDotNet.Attributes;
using ImageClassifier.Imaging;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace ImageClassifier.Microbenchmarks;

/// <summary>
/// Bytes → pixels of the 768x576 JPEG: the function's loader (identify, decode, orient), and
/// the ImageSharp calls it is made of, to see what each step costs.
/// </summary>
[MemoryDiagnoser]
public class DecodeBenchmarks
{
    private readonly ImageSharpLoader loader = new ImageSharpLoader(Options.Create(new ImagingOptions()));
    private readonly Configuration configuration = DecoderConfiguration.Create(DecoderConfiguration.Allocator(new ImagingOptions().MaxImagePixels));
    private readonly JpegDecoder withoutMetadata = new() { IgnoreMetadata = true };
    private readonly byte[] jpeg = BenchAssets.Jpeg;

    [Benchmark(Baseline = true, Description = "loader: identify + decode Rgb24 + orient")]
    public int Loader()
    {
        using var image = loader.Load(loader.Identify(jpeg));
        return image.Width;
    }

    [Benchmark(Description = "ImageSharp: identify only")]
    public int Identify() => Image.Identify(configuration, jpeg, out _).Width;

    [Benchmark(Description = "ImageSharp: decode Rgb24")]
    public int DecodeRgb24()
    {
        using var image = Image.Load<Rgb24>(configuration, jpeg);
        return image.Width;
    }

    [Benchmark(Description = "ImageSharp: decode Rgb24, metadata ignored")]
    public int DecodeRgb24WithoutMetadata()
    {
        using var image = Image.Load<Rgb24>(configuration, jpeg, withoutMetadata);
        return image.Width;
    }

    [Benchmark(Description = "ImageSharp: decode Rgba32")]
    public int DecodeRgba32()
    {
        using var image = Image.Load<Rgba32>(configuration, jpeg);
        return image.Width;
    }
}
