using System.Buffers.Binary;

namespace ImageClassifier.Imaging;

/// <summary>
/// A JPEG's markers walked in place: the frame (size, components, sampling), whether the decoder
/// must keep every coefficient of the image (a progressive frame, or a first scan that does not
/// hold every component), the scans counted, and the EXIF orientation. APP1–APP13, APP15 and
/// comments are hidden from the decoder: it needs only JFIF (APP0) and Adobe's colour transform (APP14).
/// </summary>
internal static class JpegHeader
{
    /// <summary>
    /// An ordinary progressive JPEG has about 10 scans; each further one is another pass over every
    /// coefficient, so a crafted file with thousands costs CPU without limit.
    /// </summary>
    public const int MaxScans = 64;

    private const int BlockBytes = 64 * sizeof(short);
    private const int MaxComponents = 4;

    public static ImageFacts Read(ReadOnlySpan<byte> jpeg)
    {
        var hidden = new HiddenRanges();
        var orientation = ExifOrientation.Normal;
        Frame? frame = null;
        var at = 2;
        while (true)
        {
            var marker = NextSegment(jpeg, ref at, out var segment);
            var length = segment.Length;
            if (marker is >= 0xE1 and <= 0xED or 0xEF or 0xFE)
            {
                if (marker == 0xE1 && segment.StartsWith("Exif\0\0"u8))
                {
                    orientation = ExifOrientation.Read(segment[6..]);
                }

                hidden.Add(at - length - 4, at);
            }
            else if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                frame = Frame.Read(marker, segment);
            }
            else if (marker == 0xDA)
            {
                if (frame is null)
                {
                    throw ImageFailures.Corrupt("The JPEG has a scan before its frame header.");
                }

                var firstScanComponents = segment.IsEmpty ? 0 : segment[0];
                var buffered = frame.Progressive || firstScanComponents < frame.Components.Length;

                // libjpeg decodes a sequential JPEG whose first scan holds every component in that
                // one pass and never reaches a later scan, so only a buffered JPEG's are counted
                // (which spares a photo a search of its whole entropy-coded data).
                var later = buffered ? new List<Range>() : null;
                var scans = later is null ? 1 : CountScans(jpeg, at, frame, later);
                if (scans > MaxScans)
                {
                    throw ImageFailures.Unsupported($"The JPEG has {scans} scans; at most {MaxScans} are decoded.");
                }

                return new ImageFacts(ImageFormat.Jpeg, frame.Width, frame.Height)
                {
                    Orientation = orientation,
                    // A JPEG in one scan is decoded from memory: its own bytes, or a copy of its
                    // shown bytes when something is hidden. One that keeps every coefficient reads
                    // through the stream, which checks the deadline on every read, since its first
                    // row comes only after every scan.
                    WorkingBytes = frame.WorkingBytes(buffered) + (buffered || hidden.Bytes == 0 ? 0 : jpeg.Length - hidden.Bytes),
                    Scaling = DecodeScaling.Eighths,
                    Scanlines = true,
                    ReadsFromMemory = !buffered,
                    Hidden = hidden.Ranges,
                    UnneededAtAnEighth = later ?? [],
                };
            }
        }
    }

    /// <summary>The marker at <paramref name="at"/>, its payload, and <paramref name="at"/> moved past it.</summary>
    private static byte NextSegment(ReadOnlySpan<byte> jpeg, ref int at, out ReadOnlySpan<byte> segment)
    {
        while (at < jpeg.Length && jpeg[at] == 0xFF && at + 1 < jpeg.Length && jpeg[at + 1] == 0xFF)
        {
            at++;
        }

        if (at + 4 > jpeg.Length || jpeg[at] != 0xFF)
        {
            throw ImageFailures.Corrupt("The JPEG ends, or its markers break off, before its first scan.");
        }

        var marker = jpeg[at + 1];
        if (marker is 0xD9)
        {
            throw ImageFailures.Corrupt("The JPEG ends before its first scan.");
        }

        if (marker is 0x01 or (>= 0xD0 and <= 0xD8))
        {
            at += 2;
            segment = [];
            return marker;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(jpeg[(at + 2)..]);
        if (length < 2 || at + 2 + length > jpeg.Length)
        {
            throw ImageFailures.Corrupt("A JPEG marker segment runs past the end of the file.");
        }

        segment = jpeg.Slice(at + 4, length - 2);
        at += 2 + length;
        return marker;
    }

    /// <summary>
    /// Scans from the first one's data (at <paramref name="start"/>) to the end: every
    /// start-of-scan marker in the entropy-coded data, the first included. The byte ranges of the
    /// scans a decode at 1/8 does not need go into <paramref name="unneededAtAnEighth"/>.
    /// </summary>
    private static int CountScans(ReadOnlySpan<byte> jpeg, int start, Frame frame, List<Range> unneededAtAnEighth)
    {
        var scans = 1;
        var at = start;
        var unneededFrom = -1;
        while (true)
        {
            var next = jpeg[at..].IndexOf((byte)0xFF);
            if (next < 0 || at + next + 1 >= jpeg.Length)
            {
                return scans;
            }

            at += next + 1;
            var marker = jpeg[at];
            if (marker is 0x00 or 0xFF or (>= 0xD0 and <= 0xD7))
            {
                continue;
            }

            // Any other marker ends the scan before it.
            if (unneededFrom >= 0)
            {
                unneededAtAnEighth.Add(new Range(unneededFrom, at - 1));
                unneededFrom = -1;
            }

            if (marker == 0xD9 || at + 3 > jpeg.Length)
            {
                return scans;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(jpeg[(at + 1)..]);
            if (marker == 0xDA)
            {
                scans++;
                if (scans > MaxScans)
                {
                    return scans;
                }

                if (length >= 2 && at + 1 + length <= jpeg.Length && frame.UnneededAtAnEighth(jpeg.Slice(at + 3, length - 2)))
                {
                    unneededFrom = at - 1;
                }
            }

            // A marker segment between scans (tables, a scan header): step over its length.
            at += 1 + length;
            if (at >= jpeg.Length)
            {
                return scans;
            }
        }
    }

    private sealed record Frame(int Width, int Height, bool Progressive, (int Id, int H, int V)[] Components)
    {
        public static Frame Read(byte marker, ReadOnlySpan<byte> segment)
        {
            if (marker is 0xC3 or 0xC5 or 0xC6 or 0xC7 or 0xCB or 0xCD or 0xCE or 0xCF)
            {
                throw ImageFailures.Unsupported("The JPEG is lossless or hierarchical, which the function does not decode.");
            }

            if (segment.Length < 6)
            {
                throw ImageFailures.Corrupt("The JPEG's frame header is cut short.");
            }

            int height = BinaryPrimitives.ReadUInt16BigEndian(segment[1..]);
            int width = BinaryPrimitives.ReadUInt16BigEndian(segment[3..]);
            int count = segment[5];
            if (width == 0 || height == 0)
            {
                throw ImageFailures.NoPixels();
            }

            if (count is 0 or > MaxComponents || segment.Length < 6 + (3 * count))
            {
                throw ImageFailures.Corrupt($"The JPEG's frame declares {count} components.");
            }

            var components = new (int Id, int H, int V)[count];
            for (var i = 0; i < count; i++)
            {
                var sampling = segment[6 + (3 * i) + 1];
                components[i] = (segment[6 + (3 * i)], Math.Max(1, sampling >> 4), Math.Max(1, sampling & 0x0F));
            }

            return new Frame(width, height, marker is 0xC2 or 0xC6 or 0xCA or 0xCE, components);
        }

        /// <summary>
        /// libjpeg's buffers for this frame: every coefficient of the image, each component's blocks
        /// padded to whole MCUs, when <paramref name="buffered"/>; otherwise one MCU row of them.
        /// Either way, the context rows each component is upsampled from.
        /// </summary>
        public long WorkingBytes(bool buffered)
        {
            var maxH = Components.Max(c => c.H);
            var maxV = Components.Max(c => c.V);
            long total = 0;
            foreach (var (_, h, v) in Components)
            {
                var blocksWide = RoundUp(CeilDiv((long)Width * h, 8L * maxH), h);
                var blocksHigh = RoundUp(CeilDiv((long)Height * v, 8L * maxV), v);
                total += blocksWide * (buffered ? blocksHigh : v) * BlockBytes;

                // Three MCU rows of samples per component, for the upsampler's context.
                total += blocksWide * 8 * v * 8 * 3;
            }

            return total;
        }

        /// <summary>
        /// Whether a decode at 1/8 can do without this progressive scan (its header's payload):
        /// a later AC scan (coefficients past the first pass's first, or a refinement) of a
        /// component that libjpeg transforms at 1/8 with its 1x1 inverse DCT, which reads only the
        /// DC coefficient: one whose sampling is the largest on some axis (libjpeg scales the
        /// others up by their inverse DCT instead of upsampling them). The first AC scan is kept:
        /// with no AC coefficient at all, libjpeg-turbo smooths a progressive image's DC
        /// coefficients, and the pixels would change.
        /// </summary>
        public bool UnneededAtAnEighth(ReadOnlySpan<byte> scan)
        {
            if (!Progressive || scan.Length < 6 || scan[0] != 1)
            {
                return false;
            }

            var (id, first, refines) = (scan[1], scan[3], scan[5] >> 4 > 0);
            var maxH = Components.Max(c => c.H);
            var maxV = Components.Max(c => c.V);
            var component = Array.Find(Components, c => c.Id == id);
            var oneByOne = component.H > 0 && !(maxH % (2 * component.H) == 0 && maxV % (2 * component.V) == 0);
            return oneByOne && (first > 1 || (first == 1 && refines));
        }

        private static long CeilDiv(long value, long divisor) => (value + divisor - 1) / divisor;

        private static long RoundUp(long value, int multiple) => CeilDiv(value, multiple) * multiple;
    }
}
