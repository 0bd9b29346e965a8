using System.Buffers.Binary;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Webp;

namespace ImageClassifier.Imaging;

/// <summary>
/// The most memory ImageSharp 2.1 takes to decode an image, from its header: the 3-byte pixels,
/// each decoder's working buffers, a copy when the EXIF orientation turns it, and the tensor
/// writer's rows. Bytes per pixel measured through a counting allocator (bench/README.md,
/// "Decode memory"): 3.2 for a baseline JPEG, 9.1 for a progressive one (all its coefficients are
/// kept), 3.05 for PNG, 3.0 for GIF and BMP, up to 14.0 for lossless and 16.4 for lossy WebP;
/// each is rounded up here. Tests hold the charge above what the allocator counts.
/// </summary>
internal static class DecodeCost
{
    private const long FixedBytes = 1024 * 1024;

    public static long Of(IImageInfo info, IImageFormat format, ReadOnlySpan<byte> content)
    {
        var pixels = (long)info.Width * info.Height;
        var perPixel = format switch
        {
            JpegFormat => IsProgressiveJpeg(content) ? 9.5 : 3.5,
            WebpFormat => info.Metadata.GetWebpMetadata().FileFormat == WebpFileFormatType.Lossless ? 15 : 18,
            _ => 3.5,
        };
        var turned = info.Metadata.ExifProfile?.GetValue(SixLabors.ImageSharp.Metadata.Profiles.Exif.ExifTag.Orientation) is { Value: > 1 } ? 3 : 0;

        // The tensor writer widens the rows one output row reads, at most about shorter / 224 of them, as floats.
        var rowsRead = 2L * ((Math.Min(info.Width, info.Height) / 224) + 2);
        return (long)(pixels * (perPixel + turned)) + (rowsRead * info.Width * 3 * sizeof(float)) + FixedBytes;
    }

    /// <summary>
    /// Whether the frame header is a progressive one (SOF2, SOF6, SOF10, SOF14), read from the
    /// markers before the first scan; the decoder has not looked yet.
    /// </summary>
    private static bool IsProgressiveJpeg(ReadOnlySpan<byte> jpeg)
    {
        for (var at = 2; at + 4 <= jpeg.Length && jpeg[at] == 0xFF;)
        {
            var marker = jpeg[at + 1];
            if (marker == 0xFF)
            {
                // A fill byte before the marker.
                at++;
                continue;
            }

            if (marker is 0xC2 or 0xC6 or 0xCA or 0xCE)
            {
                return true;
            }

            if (marker is (>= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC) or 0xDA)
            {
                return false;
            }

            at += 2 + BinaryPrimitives.ReadUInt16BigEndian(jpeg.Slice(at + 2, 2));
        }

        // Not understood: assume the dearer kind.
        return true;
    }
}
