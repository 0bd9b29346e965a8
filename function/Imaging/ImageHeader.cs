namespace ImageClassifier.Imaging;

/// <summary>
/// What an image's header says, read before any pixel is decoded: enough to refuse it, to know
/// what decoding it will cost, and to decode it.
/// </summary>
/// <param name="Width">Pixels across, as stored.</param>
/// <param name="Height">Pixels down, as stored.</param>
/// <param name="DecodeBytes">The most memory decoding it takes, its decoder's working buffers included.</param>
/// <param name="Content">The bytes to decode (an animated WebP's first frame, rewritten as a still).</param>
public sealed record ImageHeader(int Width, int Height, long DecodeBytes, ReadOnlyMemory<byte> Content)
{
    /// <summary>The format cannot carry transparency, so it decodes to plain RGB.</summary>
    public bool Opaque { get; init; }
}
