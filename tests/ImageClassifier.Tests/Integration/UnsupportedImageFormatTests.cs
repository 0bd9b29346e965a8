using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ImageClassifier.Failures;
using ImageClassifier.Tests.Harness;
using ImageClassifier.Tests.InferenceProtocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ImageClassifier.Tests.Integration;

/// <summary>
/// A HEIC photo (and the other formats the function does not decode) is 415
/// unsupported-image-format whichever way it arrives: uploaded, fetched from a URL, or as the
/// inference protocol's image_bytes; bytes that are no image stay 422 not-an-image.
/// </summary>
public sealed class UnsupportedImageFormatTests(DefaultFunction function) : IClassFixture<DefaultFunction>, IAsyncLifetime
{
    private const string ModelName = "mobilenetv2-12-int8";

    private static readonly string[] Files = ["chelsea.heic", "chelsea.avif", "chelsea.tiff", "chelsea.jp2", "chelsea.ico"];

    private LoopbackServer images = null!;

    public static TheoryData<string> Names => [.. Files];

    public async Task InitializeAsync() => images = await LoopbackServer.StartAsync(routes =>
    {
        foreach (var file in Files)
        {
            var bytes = TestImages.Read(file);
            // Served as a JPEG on purpose: the bytes decide, not the Content-Type.
            routes.MapGet("/" + file, () => Results.Bytes(bytes, "image/jpeg"));
        }
    });

    public async Task DisposeAsync() => await images.DisposeAsync();

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Uploaded_it_is_415_with_the_format_named(string file)
    {
        using var content = new ByteArrayContent(TestImages.Read(file));
        content.Headers.ContentType = new("image/" + Path.GetExtension(file)[1..]);

        using var response = await function.Client.PostAsync(new Uri("/", UriKind.Relative), content);

        await AssertUnsupportedAsync(response);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Fetched_from_a_url_it_is_415_with_the_format_named(string file)
    {
        using var response = await function.Client.PostAsync(new Uri("/", UriKind.Relative), JsonContent.Create(new { url = images.Url("/" + file).ToString() }));

        await AssertUnsupportedAsync(response);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task As_the_inference_protocols_image_bytes_it_is_415(string file)
    {
        var base64 = Convert.ToBase64String(TestImages.Read(file));

        using var response = await function.Client.PostAsync(
            new Uri($"/v2/models/{ModelName}/infer", UriKind.Relative), InferBodies.Tensor("image_bytes", [1], "BYTES", $"[\"{base64}\"]"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.EndsWith("send JPEG, PNG, WebP, GIF or BMP.", error.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private static async Task AssertUnsupportedAsync(HttpResponseMessage response)
    {
        var problem = await ProblemReply.ReadAsync(response);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, problem.Status);
        Assert.Equal(Problems.UnsupportedImageFormat.Type, problem.Type);
        using var json = JsonDocument.Parse(problem.Body);
        Assert.Matches("^The image is (HEIC/HEIF|AVIF|TIFF|JPEG 2000|ICO), a format the function does not decode; send JPEG, PNG, WebP, GIF or BMP.$",
            json.RootElement.GetProperty("detail").GetString());
    }
}
