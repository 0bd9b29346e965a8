using System.Collections.Concurrent;
using ImageClassifier.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ImageClassifier.Tests.Harness.Fakes;

/// <summary>Takes any bytes for a one-pixel image, and records the bytes it was given.</summary>
public sealed class FakeImageLoader : IImageLoader
{
    public ConcurrentQueue<byte[]> Loaded { get; } = new();

    public ImageHeader Identify(ReadOnlyMemory<byte> bytes)
    {
        Loaded.Enqueue(bytes.ToArray());
        return new ImageHeader(1, 1, 3, bytes) { Opaque = true };
    }

    public Image Load(ImageHeader header) => new Image<Rgb24>(1, 1);
}
