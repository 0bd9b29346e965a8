using System.Collections.Frozen;
using System.Net;
using System.Net.Http.Headers;
using CsCheck;
using ImageClassifier.Fetching;
using ImageClassifier.Fuzzing;
using ImageClassifier.Tests.Harness;
using ImageClassifier.Tests.Imaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Processing;

namespace ImageClassifier.Tests.Integration;

/// <summary>
/// Valid requests and images, mutated byte by byte (headers included), sent to the running app:
/// each answer is a result or a 4xx Knative does not retry, never a 500 and never a hang. The
/// fetcher is replaced by one that answers every URL with a real image, so mutated URLs send no
/// traffic anywhere.
/// </summary>
public sealed class MutatedInputPropertyTests(MutatedInputPropertyTests.OfflineFunction function) : IClassFixture<MutatedInputPropertyTests.OfflineFunction>
{
    private const int Iterations = 250;

    private static readonly TimeSpan AnswerBound = TimeSpan.FromSeconds(30);

    private static readonly FrozenSet<HttpStatusCode> Refusals = new[]
    {
        HttpStatusCode.BadRequest, HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.UnsupportedMediaType, HttpStatusCode.UnprocessableEntity,
    }.ToFrozenSet();

    /// <summary>Headers the transport itself sets from the framing.</summary>
    private static readonly FrozenSet<string> FramingHeaders = new[]
    {
        "content-length", "content-type", "transfer-encoding", "host", "connection", "expect", "keep-alive", "upgrade", "te", "trailer",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly byte[][] Images = SmallImages();

    private static readonly byte[][] Requests = [.. SampleRequests.All(Images[0]).Select(sample => sample.Input.ToBytes())];

    private static readonly string[] ImageTypes = ["image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp", "image/tiff"];

    private static readonly Gen<Mutation> AnyMutation =
        Gen.Select(Gen.Int[0, 4], Gen.Int[0, int.MaxValue], Gen.Byte, Gen.Int[1, 64], (kind, at, value, length) => new Mutation(kind, at, value, length));

    [Fact]
    public async Task A_mutated_request_of_any_form_is_answered_with_a_result_or_a_refusal() =>
        await Gen.Select(Gen.Int[0, Requests.Length - 1], AnyMutation.Array[1, 8])
            .SampleAsync(async (seed, mutations) =>
            {
                using var request = ToHttpRequest(FuzzInput.Parse(Mutate(Requests[seed], mutations)));
                await AssertAnsweredAsync(request);
            }, iter: Iterations, print: Describe);

    [Fact]
    public async Task A_mutated_image_under_any_image_type_is_classified_or_refused() =>
        await Gen.Select(Gen.Int[0, Images.Length - 1], AnyMutation.Array[1, 8], Gen.Int[0, ImageTypes.Length - 1])
            .SampleAsync(async (seed, mutations, type) =>
            {
                var content = new ByteArrayContent(Mutate(Images[seed], mutations));
                content.Headers.ContentType = new MediaTypeHeaderValue(ImageTypes[type]);
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/", UriKind.Relative)) { Content = content };
                await AssertAnsweredAsync(request);
            }, iter: Iterations, print: Describe);

    private async Task AssertAnsweredAsync(HttpRequestMessage request)
    {
        using var bound = new CancellationTokenSource(AnswerBound);
        using var response = await function.Client.SendAsync(request, bound.Token);
        var reply = await ProblemReply.ReadAsync(response, bound.Token);
        Assert.True(
            response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted || Refusals.Contains(response.StatusCode),
            reply.ToString());
    }

    private static byte[] Mutate(byte[] original, Mutation[] mutations)
    {
        var bytes = new List<byte>(original);
        foreach (var mutation in mutations)
        {
            mutation.Apply(bytes);
        }

        return [.. bytes];
    }

    private static HttpRequestMessage ToHttpRequest(FuzzInput input)
    {
        var content = new ByteArrayContent(input.Body);
        if (input.ContentType is { Length: > 0 } contentType)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/", UriKind.Relative)) { Content = content };
        foreach (var (name, value) in input.Headers.Where(header => !FramingHeaders.Contains(header.Key)))
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return request;
    }

    private static string Describe((int Seed, Mutation[] Mutations) sample) => $"seed {sample.Seed}: {string.Join(", ", sample.Mutations)}";

    private static string Describe((int Seed, Mutation[] Mutations, int Type) sample) =>
        $"image {sample.Seed} as {ImageTypes[sample.Type]}: {string.Join(", ", sample.Mutations)}";

    /// <summary>Chelsea, small, in every format the loader reads, and an animated WebP.</summary>
    private static byte[][] SmallImages()
    {
        using var image = Image.Load(TestImages.Read("chelsea.png"));
        image.Mutate(x => x.Resize(48, 0));
        IImageEncoder[] encoders = [new PngEncoder(), new JpegEncoder(), new GifEncoder(), new WebpEncoder(), new BmpEncoder()];
        byte[] animation = HandMadeAnimatedWebp.WithFrames(WebpFileFormatType.Lossy, new(200, 30, 30), new(30, 30, 200));
        return [.. encoders.Select(encoder =>
        {
            using var stream = new MemoryStream();
            image.Save(stream, encoder);
            return stream.ToArray();
        }), animation];
    }

    /// <summary>One change to a byte string: flip a bit, overwrite a byte, insert a run, delete a run, or cut the end off.</summary>
    public sealed record Mutation(int Kind, int At, byte Value, int Length)
    {
        public void Apply(List<byte> bytes)
        {
            var at = bytes.Count == 0 ? 0 : At % bytes.Count;
            switch (Kind)
            {
                case 0 when bytes.Count > 0:
                    bytes[at] ^= (byte)(1 << (Value % 8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[at] = Value;
                    break;
                case 2:
                    bytes.InsertRange(at, Enumerable.Repeat(Value, Length));
                    break;
                case 3:
                    bytes.RemoveRange(at, Math.Min(Length, bytes.Count - at));
                    break;
                case 4:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }
    }

    /// <summary>The app with default settings and a fetcher that never touches the network.</summary>
    public sealed class OfflineFunction() : FunctionApp(services: services =>
        services.Replace(ServiceDescriptor.Singleton<IImageFetcher>(new ChelseaFetcher())));

    private sealed class ChelseaFetcher : IImageFetcher
    {
        private readonly byte[] _chelsea = TestImages.Read("chelsea.png");

        public Task<FetchedImage> FetchAsync(Uri url, CancellationToken cancellationToken) => Task.FromResult(new FetchedImage(_chelsea));
    }
}
