using System.Net;
using System.Net.Http.Headers;
using ImageClassifier.Tests.Harness;
using ImageClassifier.Tests.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ImageClassifier.Tests.Integration;

/// <summary>
/// Images made to hurt a decoder, sent to the running app: each is refused with a 422 or, if it
/// is a real picture under the tricks, classified; and the process's memory stays bounded.
/// </summary>
[Collection(ProcessWideTests.Name)]
public sealed class HostileImageTests(HostileImageTests.DefaultFunction function) : IClassFixture<HostileImageTests.DefaultFunction>
{
    /// <summary>Far below what decoding any of these images naively would take (1.6 GB to 20 GB), far above a real 1000x1000 image.</summary>
    private const long MemoryBound = 256L * 1024 * 1024;

    private const int ThousandsOfFrames = 5000;

    public static TheoryData<string> ImageContentTypes => new()
    {
        "image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp", "image/tiff", "image/svg+xml",
        "image/x-icon", "image/avif", "image/heic", "image/jxl", "image/x-unknown",
    };

    [Fact]
    public async Task A_png_declaring_20000x20000_is_422_image_too_many_pixels() =>
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "image-too-many-pixels"), await PostAsync(HandMadePng.WithHeader(20_000, 20_000), "image/png"));

    [Fact]
    public async Task A_png_declaring_1x500000000_is_422_image_too_many_pixels() =>
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "image-too-many-pixels"), await PostAsync(HandMadePng.WithHeader(1, 500_000_000), "image/png"));

    [Fact]
    public async Task A_truncated_jpeg_is_422_image_corrupt() =>
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "image-corrupt"), await PostAsync(TestImages.Read("truncated.jpg"), "image/jpeg"));

    [Theory]
    [MemberData(nameof(ImageContentTypes))]
    public async Task Random_bytes_are_422_not_an_image_under_every_image_type(string contentType)
    {
        var bytes = new byte[4096];
        new Random(contentType.Length).NextBytes(bytes);

        Assert.Equal((HttpStatusCode.UnprocessableEntity, "not-an-image"), await PostAsync(bytes, contentType));
    }

    [Fact]
    public async Task A_gif_with_thousands_of_frames_is_classified_as_its_first_frame_alone()
    {
        var thousands = await PredictionsAsync(HandMadeGif.WithFrames(1000, 1000, ThousandsOfFrames), "image/gif");
        var first = await PredictionsAsync(HandMadeGif.WithFrames(1000, 1000, 1), "image/gif");

        Assert.Equal(first, thousands);
    }

    [Fact]
    public async Task An_animated_gif_is_classified_from_its_first_frame()
    {
        using var animation = new Image<Rgba32>(64, 64, Red);
        using var second = new Image<Rgba32>(64, 64, Blue);
        animation.Frames.AddFrame(second.Frames.RootFrame);
        using var gif = new MemoryStream();
        animation.SaveAsGif(gif);

        var answer = await PredictionsAsync(gif.ToArray(), "image/gif");

        Assert.Equal(await PredictionsAsync(Still(Red, i => i.SaveAsGif), "image/gif"), answer);
        Assert.NotEqual(await PredictionsAsync(Still(Blue, i => i.SaveAsGif), "image/gif"), answer);
    }

    [Theory]
    [InlineData(WebpFileFormatType.Lossless)]
    [InlineData(WebpFileFormatType.Lossy)]
    public async Task An_animated_webp_is_classified_from_its_first_frame(WebpFileFormatType format)
    {
        var animation = HandMadeAnimatedWebp.WithFrames(format, Red, Blue);

        var answer = await PredictionsAsync(animation, "image/webp");

        var encoder = new WebpEncoder { FileFormat = format };
        Assert.Equal(await PredictionsAsync(Still(Red, i => s => i.SaveAsWebp(s, encoder), HandMadeAnimatedWebp.Side), "image/webp"), answer);
        Assert.NotEqual(await PredictionsAsync(Still(Blue, i => s => i.SaveAsWebp(s, encoder), HandMadeAnimatedWebp.Side), "image/webp"), answer);
    }

    [Fact]
    public async Task An_exif_rotated_jpeg_is_classified_as_the_upright_picture()
    {
        // A launching rocket: what the model sees depends on which way is up.
        using var upright = Image.Load(TestImages.Read("rocket.jpg"));
        upright.Mutate(x => x.Crop(upright.Width / 8 * 8, upright.Height / 8 * 8));
        var uprightTop = await PredictionsAsync(Jpeg(upright));

        // Orientation 6: the stored pixels are turned a quarter to the left; a viewer turns them back.
        using var stored = upright.Clone(x => x.Rotate(RotateMode.Rotate270));
        var sideways = await PredictionsAsync(Jpeg(stored));
        stored.Metadata.ExifProfile = new ExifProfile();
        stored.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);
        var turned = await PredictionsAsync(Jpeg(stored));

        // The int8 model is sensitive to the pixels a quarter turn moves between JPEG blocks, so
        // the turned answer is near the upright one, not equal; the sideways one is far from both.
        Assert.Equal(uprightTop.Keys.First(), turned.Keys.First());
        Assert.True(Distance(uprightTop, sideways) > 2 * Distance(uprightTop, turned),
            $"upright [{string.Join(", ", uprightTop)}], sideways [{string.Join(", ", sideways)}], turned [{string.Join(", ", turned)}]");
    }

    /// <summary>How far another answer is from the upright one, over the upright answer's top 5.</summary>
    private static double Distance(IReadOnlyDictionary<string, double> upright, IReadOnlyDictionary<string, double> other) =>
        upright.Sum(pair => Math.Abs(pair.Value - other.GetValueOrDefault(pair.Key)));

    [Fact]
    public async Task The_process_memory_stays_bounded_through_every_hostile_image()
    {
        var hostile = new (byte[] Bytes, string ContentType)[]
        {
            (HandMadePng.WithHeader(20_000, 20_000), "image/png"),
            (HandMadePng.WithHeader(1, 500_000_000), "image/png"),
            (TestImages.Read("truncated.jpg"), "image/jpeg"),
            (HandMadeGif.WithFrames(1000, 1000, ThousandsOfFrames), "image/gif"),
        };
        await PostAsync(TestImages.Read("chelsea.png"), "image/png");

        await using var peak = new WorkingSetPeak();
        foreach (var (bytes, contentType) in hostile.Concat(hostile).Concat(hostile))
        {
            var (status, problem) = await PostAsync(bytes, contentType);
            Assert.True(status is HttpStatusCode.OK or HttpStatusCode.UnprocessableEntity, problem);
        }

        Assert.True(peak.Growth < MemoryBound, $"the working set grew by {peak.Growth / (1024 * 1024)} MiB");
    }

    private static byte[] Jpeg(Image image)
    {
        using var stream = new MemoryStream();
        // Quality 100 (all-ones quantisation) without chroma subsampling: a quarter turn of the
        // pixels survives encoding almost exactly, so only the orientation decides the answer.
        image.Save(stream, new JpegEncoder { Quality = 100, ColorType = JpegColorType.YCbCrRatio444 });
        return stream.ToArray();
    }

    private static readonly Rgba32 Red = new(200, 30, 30);

    private static readonly Rgba32 Blue = new(30, 30, 200);

    /// <summary>A still image of one colour, as an encoder given the image writes it.</summary>
    private static byte[] Still(Rgba32 colour, Func<Image<Rgba32>, Action<Stream>> encode, int side = 64)
    {
        using var image = new Image<Rgba32>(side, side, colour);
        using var stream = new MemoryStream();
        encode(image)(stream);
        return stream.ToArray();
    }

    /// <summary>The top 5 labels with their probabilities, highest first.</summary>
    private async Task<IReadOnlyDictionary<string, double>> PredictionsAsync(byte[] image, string contentType = "image/jpeg")
    {
        using var content = new ByteArrayContent(image);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using var response = await function.Client.PostAsync(new Uri("/", UriKind.Relative), content);
        var predictions = Replies.DataOf(await Replies.ReadEventAsync(response)).GetProperty("predictions").EnumerateArray();
        return new OrderedDictionary<string, double>(predictions.Select(p =>
            KeyValuePair.Create(p.GetProperty("label").GetString()!, p.GetProperty("probability").GetDouble())));
    }

    private async Task<(HttpStatusCode Status, string? Problem)> PostAsync(byte[] bytes, string contentType)
    {
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await function.Client.PostAsync(new Uri("/", UriKind.Relative), content);
        var reply = await ProblemReply.ReadAsync(response);
        return (reply.Status, reply.Type?[ProblemReply.TypeBase.Length..] ?? reply.Body);
    }

    /// <summary>The app with its default settings, shared by the class.</summary>
    public sealed class DefaultFunction : ReadyFunction;
}
