namespace ImageClassifier.Imaging;

/// <summary>
/// The five formats the function decodes, recognised by their signatures. Nothing else reaches
/// the decoder: Skia knows more formats (ICO, WBMP, raw camera files), and a classifier has no
/// business running their parsers on a stranger's bytes.
/// </summary>
internal static class ImageFormats
{
    /// <summary>The format <paramref name="bytes"/> begin with; otherwise a 415 for a named image format, or a 422.</summary>
    public static ImageFormat Recognise(ReadOnlySpan<byte> bytes) => bytes switch
    {
        [0xFF, 0xD8, 0xFF, ..] => ImageFormat.Jpeg,
        [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => ImageFormat.Png,
        [(byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'7' or (byte)'9', (byte)'a', ..] => ImageFormat.Gif,
        [(byte)'B', (byte)'M', ..] => ImageFormat.Bmp,
        [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] => ImageFormat.Webp,
        _ => throw (UnsupportedFormats.Recognise(bytes) is { } unsupported
            ? ImageFailures.UnsupportedFormat(unsupported)
            : ImageFailures.NotAnImage()),
    };
}
