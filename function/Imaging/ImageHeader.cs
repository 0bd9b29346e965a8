namespace ImageClassifier.Imaging;

/// <summary>
/// What an image's header says and how it will be decoded, worked out before any pixel is: enough
/// to refuse it, to pay for it, and to decode it.
/// </summary>
/// <param name="Facts">The format's header: size, orientation, the decoder's working memory.</param>
/// <param name="Plan">The size it is decoded at and shrunk to, and the memory that takes.</param>
/// <param name="Content">The bytes to decode (a WebP rewritten as a still without its metadata, <see cref="StillWebp"/>).</param>
public sealed record ImageHeader(ImageFacts Facts, DecodePlan Plan, ReadOnlyMemory<byte> Content)
{
    /// <summary>Pixels across, as stored.</summary>
    public int Width => Facts.Width;

    /// <summary>Pixels down, as stored.</summary>
    public int Height => Facts.Height;

    /// <summary>Width and height once decoded as planned and turned upright: what <see cref="IImageLoader.Load"/> gives a region of.</summary>
    public (int Width, int Height) Scaled => ExifOrientation.SwapsSides(Facts.Orientation) ? (Plan.Height, Plan.Width) : (Plan.Width, Plan.Height);

    /// <summary>Byte ranges the decoder is not shown: the metadata, and the scans the plan's scale does without.</summary>
    public IReadOnlyList<Range> Hidden => Plan.SkippedScans.Count == 0 ? Facts.Hidden : [.. Facts.Hidden, .. Plan.SkippedScans];

    /// <summary>The most memory decoding it takes, its decoder's working buffers included.</summary>
    public long DecodeBytes => Plan.DecodeBytes;
}
