using System.Collections.Concurrent;
using ImageClassifier.Imaging;

namespace ImageClassifier.Tests.Harness.Fakes;

/// <summary>Takes any bytes for a one-pixel image, and records the bytes it was given.</summary>
public sealed class FakeImageLoader : IImageLoader
{
    public ConcurrentQueue<byte[]> Loaded { get; } = new();

    /// <summary>The header of a one-pixel image that costs 4 bytes.</summary>
    public static ImageHeader OnePixel(ReadOnlyMemory<byte> bytes) =>
        new(new ImageFacts(ImageFormat.Png, 1, 1), new DecodePlan(1, 1, 1, DecodedImage.BytesPerPixel), bytes);

    public ImageHeader Identify(ReadOnlyMemory<byte> bytes, Func<int, int, (int Width, int Height)> resizedSize)
    {
        Loaded.Enqueue(bytes.ToArray());
        return OnePixel(bytes);
    }

    public DecodedImage Load(ImageHeader header, PixelRegion needed, DecodeDeadline deadline) => new(1, 1, 1, 1);
}
