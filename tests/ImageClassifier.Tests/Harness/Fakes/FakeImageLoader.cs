using System.Collections.Concurrent;
using ImageClassifier.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ImageClassifier.Tests.Harness.Fakes;

/// <summary>Returns a one-pixel image for any bytes and records the bytes it was given.</summary>
public sealed class FakeImageLoader : IImageLoader
{
    public ConcurrentQueue<byte[]> Loaded { get; } = new();

    public Image<Rgb24> Load(ReadOnlyMemory<byte> bytes)
    {
        Loaded.Enqueue(bytes.ToArray());
        return new Image<Rgb24>(1, 1);
    }
}
