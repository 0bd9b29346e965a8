using ImageClassifier.Failures;
using ImageClassifier.Imaging;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Fuzzing;

/// <summary>
/// Identify and decode, as <see cref="IImageLoader"/> does for every image. A refusal is a
/// <see cref="ClassificationException"/>; anything else escaping is a bug, and the fuzzer's crash.
/// </summary>
internal sealed class ImageDecodingTarget(int maxImagePixels)
{
    /// <summary>
    /// Below MAX_IMAGE_PIXELS's default so that a mutated header declaring a large image costs
    /// milliseconds rather than a 160 MB buffer: the decoder's code paths are the same.
    /// </summary>
    public const int FuzzingMaxImagePixels = 1_000_000;

    private readonly ImageSharpLoader loader = new(Options.Create(new ImagingOptions { MaxImagePixels = maxImagePixels }));

    /// <summary>Returns "decoded WxH" or the problem slug the edge would answer with.</summary>
    public string Run(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            using var image = loader.Load(loader.Identify(bytes));
            return $"decoded {image.Width}x{image.Height}";
        }
        catch (ClassificationException failure)
        {
            return failure.Type.Slug;
        }
    }
}
