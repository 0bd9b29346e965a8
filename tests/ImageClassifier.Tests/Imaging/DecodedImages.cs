using ImageClassifier.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ImageClassifier.Tests.Imaging;

/// <summary>What a loader decodes, as plain RGB whichever pixel type it decoded to, for tests that look at pixels.</summary>
internal static class DecodedImages
{
    public static Image<Rgb24> LoadRgb(this IImageLoader loader, ReadOnlyMemory<byte> bytes)
    {
        using var decoded = loader.Load(loader.Identify(bytes));
        return decoded.CloneAs<Rgb24>();
    }
}
