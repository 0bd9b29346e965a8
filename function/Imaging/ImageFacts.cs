namespace ImageClassifier.Imaging;

/// <summary>The five formats the function decodes.</summary>
public enum ImageFormat
{
    Jpeg,
    Png,
    Gif,
    Bmp,
    Webp,
}

/// <summary>How far a format's decoder can shrink while it decodes.</summary>
public enum DecodeScaling
{
    /// <summary>Only at full size.</summary>
    None,

    /// <summary>JPEG's DCT scaling: 1/8, 2/8 … 8/8.</summary>
    Eighths,

    /// <summary>Any smaller size (WebP's scaled decoding).</summary>
    Any,
}

/// <summary>
/// What a format's own header says, read in place by <see cref="JpegHeader"/>,
/// <see cref="PngHeader"/>, <see cref="GifHeader"/>, <see cref="BmpHeader"/> and
/// <see cref="WebpHeader"/> before the decoder sees a byte: the size as stored, the EXIF
/// orientation, the decoder's own working memory worked out from the layout (not from an
/// average), whether it decodes a row at a time, and the metadata segments it is not shown.
/// </summary>
public sealed record ImageFacts(ImageFormat Format, int Width, int Height)
{
    /// <summary>EXIF orientation, 1 to 8.</summary>
    public int Orientation { get; init; } = ExifOrientation.Normal;

    /// <summary>Bytes the decoder holds beside the pixels it writes: coefficient buffers, an interlaced image, a frame's indices.</summary>
    public long WorkingBytes { get; init; }

    public DecodeScaling Scaling { get; init; }

    /// <summary>The decoder hands over one row at a time, so it can be shrunk as it arrives and stopped between rows.</summary>
    public bool Scanlines { get; init; }

    /// <summary>
    /// The decoder is given the shown bytes in one block of memory (the bytes themselves when
    /// nothing is hidden, else a copy paid for in <see cref="WorkingBytes"/>), instead of a stream
    /// that checks the deadline on every read: set where its work between two rows is bounded (a
    /// JPEG in one scan), so the checks between rows suffice. libjpeg-turbo's fast Huffman
    /// decoding runs only on bytes in memory.
    /// </summary>
    public bool ReadsFromMemory { get; init; }

    /// <summary>Byte ranges of metadata the decoder is not shown (comments, text, XMP, profiles), in order.</summary>
    public IReadOnlyList<Range> Hidden { get; init; } = [];

    /// <summary>
    /// Byte ranges, in order and after <see cref="Hidden"/>'s, of the scans a decode at 1/8 does
    /// without: a progressive JPEG's later AC scans of the components transformed there from their
    /// DC coefficients alone.
    /// </summary>
    public IReadOnlyList<Range> UnneededAtAnEighth { get; init; } = [];

    /// <summary>Width and height once the orientation is applied.</summary>
    public (int Width, int Height) Upright => ExifOrientation.SwapsSides(Orientation) ? (Height, Width) : (Width, Height);
}
