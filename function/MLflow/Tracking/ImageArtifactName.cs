using System.Text.RegularExpressions;

namespace ImageClassifier.MLflow.Tracking;

/// <summary>The file name an image gets among its run's artifacts.</summary>
public static partial class ImageArtifactName
{
    /// <summary>The URL's own file name when it is a plain one, else <c>image</c> with the extension its bytes say.</summary>
    public static string For(Uri? url, ReadOnlySpan<byte> image)
    {
        var name = url is null ? string.Empty : Uri.UnescapeDataString(url.Segments[^1]);
        return PlainFileName().IsMatch(name) ? name : "image" + Extension(image);
    }

    private static string Extension(ReadOnlySpan<byte> image) => image switch
    {
        [0xFF, 0xD8, 0xFF, ..] => ".jpg",
        [0x89, (byte)'P', (byte)'N', (byte)'G', ..] => ".png",
        [(byte)'G', (byte)'I', (byte)'F', (byte)'8', ..] => ".gif",
        [(byte)'B', (byte)'M', ..] => ".bmp",
        [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] => ".webp",
        _ => ".bin",
    };

    [GeneratedRegex(@"^[A-Za-z0-9_\-][A-Za-z0-9_.\-]{0,99}\.[A-Za-z0-9]{1,5}$")]
    private static partial Regex PlainFileName();
}
