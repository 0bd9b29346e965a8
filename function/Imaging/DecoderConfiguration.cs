using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.Metadata;

namespace ImageClassifier.Imaging;

/// <summary>
/// The ImageSharp configuration the loader decodes with. ImageSharp 2.x gets no more security
/// fixes, so it knows only the five formats the function accepts, and its allocator refuses any
/// buffer larger than the biggest image <see cref="ImagingOptions.MaxImagePixels"/> allows.
/// </summary>
internal static class DecoderConfiguration
{
    /// <summary>The widest per-pixel buffer a decoder allocates: WebP's 32-bit ARGB rows.</summary>
    private const long BytesPerPixel = 4;

    /// <summary>
    /// What the allocator keeps of released buffers for reuse: enough for the buffers of a few
    /// ordinary photos, little beside the memory budget, which counts only buffers in use.
    /// </summary>
    private const int RetainedMegabytes = 16;

    private const long BytesPerMegabyte = 1024 * 1024;

    /// <summary>The allocator the loader decodes with: no buffer larger than the biggest image allows, few kept for reuse.</summary>
    public static MemoryAllocator Allocator(int maxImagePixels) => MemoryAllocator.Create(new MemoryAllocatorOptions
    {
        AllocationLimitMegabytes = AllocationLimitMegabytes(maxImagePixels),
        MaximumPoolSizeMegabytes = RetainedMegabytes,
    });

    public static Configuration Create(MemoryAllocator allocator)
    {
        var configuration = new Configuration(
            new JpegConfigurationModule(),
            new PngConfigurationModule(),
            new WebpConfigurationModule(),
            new GifConfigurationModule(),
            new BmpConfigurationModule())
        {
            // Requests already run in parallel; one image must not take every core.
            MaxDegreeOfParallelism = 1,
            MemoryAllocator = allocator,
        };

        // A classifier sees one picture: the rest of an animation is never decoded.
        configuration.ImageFormatsManager.SetDecoder(GifFormat.Instance, new GifDecoder { DecodingMode = FrameDecodingMode.First });
        return configuration;
    }

    private static int AllocationLimitMegabytes(int maxImagePixels) =>
        (int)(((maxImagePixels * BytesPerPixel) + BytesPerMegabyte - 1) / BytesPerMegabyte);
}
