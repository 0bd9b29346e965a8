using ImageClassifier.Failures;
using ImageClassifier.Imaging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ImageClassifier.Tests.Imaging;

/// <summary>
/// The decode is planned from the header at the size the model needs, and charged exactly from
/// the format's layout: a photo costs what its reduced size costs, a layout that makes the
/// decoder keep every coefficient costs every coefficient, and metadata costs nothing.
/// </summary>
public sealed class DecodePlanTests
{
    private static readonly SkiaImageLoader Loader = new(Options.Create(new ImagingOptions()));

    [Fact]
    public void A_12_megapixel_jpeg_is_decoded_at_an_eighth_and_charged_for_that()
    {
        var header = Loader.Identify(HandMadeJpeg.Interleaved(4032, 3024), PreprocessingSpec.ImageNet.ResizedSize);

        // libjpeg's scaled size, ceil(4032 / 8) x ceil(3024 / 8), still above the 341 x 256 the resize makes.
        Assert.Equal((504, 378), (header.Plan.DecodeWidth, header.Plan.DecodeHeight));
        Assert.True(header.DecodeBytes < 4 * 1024 * 1024, $"{header.DecodeBytes} bytes charged");
        Assert.True(header.DecodeBytes > 504L * 378 * 4, $"{header.DecodeBytes} bytes charged");
    }

    [Fact]
    public void An_image_is_decoded_at_the_smallest_power_of_two_scale_that_covers_the_resize()
    {
        // 1920 x 1080 to 455 x 256: 1/8 gives 240 x 135, too small; 2/8 gives 480 x 270.
        var header = Loader.Identify(HandMadeJpeg.Interleaved(1920, 1080), PreprocessingSpec.ImageNet.ResizedSize);

        Assert.Equal((480, 270), (header.Plan.DecodeWidth, header.Plan.DecodeHeight));
    }

    [Fact]
    public void No_scale_but_a_power_of_two_is_used_even_where_another_would_fit_closer()
    {
        // 640 x 427 to 383 x 256: 5/8 (400 x 267) would cover it, 4/8 (320 x 214) does not, so the whole image.
        var header = Loader.Identify(HandMadeJpeg.Interleaved(640, 427), PreprocessingSpec.ImageNet.ResizedSize);

        Assert.Equal((640, 427), (header.Plan.DecodeWidth, header.Plan.DecodeHeight));
    }

    [Fact]
    public void A_jpeg_with_a_scan_per_component_is_charged_every_coefficient_of_the_image()
    {
        var header = Loader.Identify(HandMadeJpeg.ScanPerComponent(6000, 6000), PreprocessingSpec.ImageNet.ResizedSize);

        // 2 bytes a coefficient, 64 a block: Y 750 x 750 blocks, Cb and Cr 375 x 375 each.
        const long coefficients = (750L * 750 * 128) + (2 * 375L * 375 * 128);
        Assert.True(header.DecodeBytes >= coefficients, $"{header.DecodeBytes} bytes charged, under {coefficients}");
        Assert.True(header.DecodeBytes < coefficients + (16 * 1024 * 1024), $"{header.DecodeBytes} bytes charged");
    }

    [Fact]
    public void The_same_photo_in_one_scan_is_charged_a_fraction_of_that()
    {
        var oneScan = Loader.Identify(HandMadeJpeg.Interleaved(6000, 6000), PreprocessingSpec.ImageNet.ResizedSize);
        var scanPerComponent = Loader.Identify(HandMadeJpeg.ScanPerComponent(6000, 6000), PreprocessingSpec.ImageNet.ResizedSize);

        Assert.True(oneScan.DecodeBytes * 10 < scanPerComponent.DecodeBytes, $"{oneScan.DecodeBytes} against {scanPerComponent.DecodeBytes}");
    }

    [Fact]
    public void A_png_is_charged_its_whole_decoded_image()
    {
        var header = Loader.Identify(HandMadePng.WithHeader(2000, 1000), PreprocessingSpec.ImageNet.ResizedSize);

        Assert.Equal((2000, 1000), (header.Plan.DecodeWidth, header.Plan.DecodeHeight));
        Assert.True(header.DecodeBytes >= 2000L * 1000 * 4, $"{header.DecodeBytes} bytes charged");
    }

    [Fact]
    public void Compressed_text_is_hidden_from_the_decoder_and_costs_nothing()
    {
        var bomb = HandMadePng.TextBomb(chunks: 2, inflatedBytes: 64 * 1024 * 1024);

        var header = Loader.Identify(bomb, PreprocessingSpec.ImageNet.ResizedSize);
        using var image = Loader.Load(header, DecodedImages.NoDeadline);

        Assert.True(header.DecodeBytes < 2 * 1024 * 1024, $"{header.DecodeBytes} bytes charged");
        var hidden = header.Facts.Hidden.Sum(range => range.GetOffsetAndLength(bomb.Length).Length);
        Assert.True(hidden > bomb.Length * 0.99, $"{hidden} of {bomb.Length} bytes hidden");
        Assert.Equal((1, 1), (image.Width, image.Height));
        Assert.Equal(128, image.Pixels[0]);
    }

    [Fact]
    public void Jpeg_metadata_segments_are_hidden_and_the_image_still_decodes()
    {
        var jpeg = TestImages.Read("rocket.jpg");
        var withComment = Insert(jpeg, 2, [0xFF, 0xFE, 0x00, 0x06, (byte)'h', (byte)'i', (byte)'!', (byte)'!']);

        var header = Loader.Identify(withComment);
        using var image = Loader.Load(header, DecodedImages.NoDeadline);

        Assert.Contains(new Range(2, 10), header.Facts.Hidden);
        Assert.Equal((640, 427), (image.Width, image.Height));
    }

    [Fact]
    public void A_jpeg_kept_whole_with_more_scans_than_any_real_one_is_refused_before_decoding()
    {
        var jpeg = HandMadeJpeg.ScanPerComponent(64, 64);

        var failure = Assert.Throws<ClassificationException>(() => Loader.Identify(WithScansRepeated(jpeg, JpegHeader.MaxScans)));

        Assert.Equal(Problems.ImageUnsupported, failure.Type);
    }

    [Fact]
    public void Scans_after_an_interleaved_jpegs_one_scan_are_not_counted_and_change_nothing_decoded()
    {
        var jpeg = HandMadeJpeg.Interleaved(64, 64);
        var many = WithScansRepeated(jpeg, JpegHeader.MaxScans);

        using var expected = Loader.Load(Loader.Identify(jpeg), DecodedImages.NoDeadline);
        using var decoded = Loader.Load(Loader.Identify(many), DecodedImages.NoDeadline);

        Assert.Equal(expected.Pixels.ToArray(), decoded.Pixels.ToArray());
    }

    [Fact]
    public void A_decode_past_its_deadline_is_abandoned_with_its_own_problem()
    {
        var time = new FakeTimeProvider();
        var header = Loader.Identify(HandMadeJpeg.Interleaved(1024, 768));
        var deadline = new DecodeDeadline(time, TimeSpan.FromSeconds(2), CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(3));

        var failure = Assert.Throws<ClassificationException>(() => Loader.Load(header, deadline));

        Assert.Equal(Problems.ImageDecodeTimeout, failure.Type);
        Assert.Equal(422, failure.Type.Status);
    }

    [Fact]
    public void A_cancelled_request_stops_its_decode()
    {
        var header = Loader.Identify(HandMadeJpeg.Interleaved(1024, 768));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => Loader.Load(header, new DecodeDeadline(TimeProvider.System, TimeSpan.FromMinutes(1), cancelled.Token)));
    }

    [Fact]
    public void A_jpeg_in_one_scan_is_read_from_memory_and_charged_a_copy_only_when_metadata_is_hidden()
    {
        var plain = HandMadeJpeg.Interleaved(1024, 768);
        var withComment = Insert(plain, 2, Comment(60_000));
        var trailer = new byte[100_000];

        var inPlace = Loader.Identify(plain).Facts;
        var copied = Loader.Identify(withComment).Facts;

        Assert.True(inPlace.ReadsFromMemory);
        Assert.True(copied.ReadsFromMemory);
        // Nothing hidden: the decoder reads the bytes themselves. A comment: a copy of the rest.
        Assert.Equal(inPlace.WorkingBytes + plain.Length, copied.WorkingBytes);
        Assert.Equal(inPlace.WorkingBytes, Loader.Identify(plain.Concat(trailer).ToArray()).Facts.WorkingBytes);
        // Whatever Skia is shown is copied for it, bytes after the image included.
        Assert.Equal(copied.WorkingBytes + trailer.Length, Loader.Identify(withComment.Concat(trailer).ToArray()).Facts.WorkingBytes);
    }

    [Fact]
    public void A_jpeg_whose_decoder_keeps_every_coefficient_is_read_through_the_stream_and_not_charged_a_copy()
    {
        var scanPerComponent = HandMadeJpeg.ScanPerComponent(1024, 768);

        var header = Loader.Identify(scanPerComponent).Facts;

        Assert.False(header.ReadsFromMemory);
        Assert.Equal(header.WorkingBytes, Loader.Identify(scanPerComponent.Concat(new byte[100_000]).ToArray()).Facts.WorkingBytes);
    }

    [Fact]
    public void A_jpeg_read_from_memory_decodes_to_the_pixels_the_stream_gives()
    {
        var jpeg = Insert(Insert(TestImages.Read("rocket.jpg"), 2, Comment(5_000)), 2, ExifWithOrientation(6));
        var fromMemory = Loader.Identify(jpeg, PreprocessingSpec.ImageNet.ResizedSize);
        var throughStream = fromMemory with { Facts = fromMemory.Facts with { ReadsFromMemory = false } };

        using var expected = Loader.Load(throughStream, DecodedImages.NoDeadline);
        using var actual = Loader.Load(fromMemory, DecodedImages.NoDeadline);

        Assert.True(fromMemory.Facts.ReadsFromMemory);
        Assert.Equal((expected.Width, expected.Height), (actual.Width, actual.Height));
        Assert.True(expected.Pixels.SequenceEqual(actual.Pixels));
    }

    [Theory]
    [InlineData("png")]
    [InlineData("jpeg")]
    [InlineData("jpeg in one scan")]
    public void A_request_cancelled_midway_through_a_decode_stops_it_at_the_next_read(string format)
    {
        var bytes = format switch
        {
            "png" => HandMadePng.Bomb(2000),
            "jpeg" => HandMadeJpeg.ScanPerComponent(4000, 3000),
            _ => HandMadeJpeg.Interleaved(4000, 3000),
        };
        var header = Loader.Identify(bytes, PreprocessingSpec.ImageNet.ResizedSize);
        using var cancellation = new CancellationTokenSource();
        var clock = new CancellingClock(cancellation, afterReadings: 5);

        Assert.ThrowsAny<OperationCanceledException>(() => Loader.Load(header, new DecodeDeadline(clock, TimeSpan.FromMinutes(1), cancellation.Token)));
        // The first reading is the loader's own before it starts the codec; the fifth is in the decode, and nothing reads on after it.
        Assert.Equal(5, clock.Readings);
    }

    [Fact]
    public void A_reduced_decode_of_a_turned_photo_is_upright_with_the_full_size_it_stands_for()
    {
        // Orientation 6 in an EXIF block: stored 4032 x 3024, seen 3024 x 4032.
        var jpeg = Insert(HandMadeJpeg.Interleaved(4032, 3024), 2, ExifWithOrientation(6));

        var header = Loader.Identify(jpeg, PreprocessingSpec.ImageNet.ResizedSize);
        using var image = Loader.Load(header, DecodedImages.NoDeadline);

        Assert.Equal((378, 504), (image.Width, image.Height));
        Assert.Equal((3024, 4032), (image.FullWidth, image.FullHeight));
    }

    /// <summary>A clock whose every reading is a millisecond on, and which cancels the request at its Nth: in the middle of a decode.</summary>
    private sealed class CancellingClock(CancellationTokenSource cancellation, int afterReadings) : TimeProvider
    {
        public int Readings { get; private set; }

        public override long GetTimestamp()
        {
            if (++Readings == afterReadings)
            {
                cancellation.Cancel();
            }

            return Readings * (TimestampFrequency / 1000);
        }
    }

    /// <summary>The JPEG with its last scan repeated <paramref name="times"/> more times before its end.</summary>
    private static byte[] WithScansRepeated(byte[] jpeg, int times)
    {
        var scan = jpeg.AsSpan(jpeg.AsSpan().LastIndexOf(new byte[] { 0xFF, 0xDA }))[..^2].ToArray();
        return [.. jpeg[..^2], .. Enumerable.Repeat(scan, times).SelectMany(s => s), 0xFF, 0xD9];
    }

    private static byte[] Insert(byte[] bytes, int at, byte[] inserted) => [.. bytes[..at], .. inserted, .. bytes[at..]];

    /// <summary>A COM segment of <paramref name="length"/> bytes of text.</summary>
    private static byte[] Comment(int length) => [0xFF, 0xFE, (byte)((length + 2) >> 8), (byte)(length + 2), .. Enumerable.Repeat((byte)'x', length)];

    /// <summary>An APP1 segment: "Exif\0\0", a little-endian TIFF header and IFD0 with the one orientation entry.</summary>
    private static byte[] ExifWithOrientation(ushort orientation)
    {
        byte[] tiff = [(byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, (byte)orientation, 0, 0, 0, 0, 0, 0, 0];
        byte[] payload = [.. "Exif\0\0"u8, .. tiff];
        var length = payload.Length + 2;
        return [0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. payload];
    }
}
