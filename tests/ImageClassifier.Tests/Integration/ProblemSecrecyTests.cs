using System.Net;
using System.Net.Http.Json;
using ImageClassifier.Imaging;
using ImageClassifier.Tests.Harness;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace ImageClassifier.Tests.Integration;

/// <summary>
/// Problem bodies say what happened in the function's own words: never a password from the
/// URL, never the text of an exception; the log tells the operator the rest.
/// </summary>
public sealed class ProblemSecrecyTests
{
    private const string Password = "hunter2-Secret-Password";
    private const string InternalText = "connection string Server=db.internal;Password=hunter2";

    [Fact]
    public async Task A_url_with_a_password_is_refused_without_echoing_the_password()
    {
        await using var function = await FunctionApp.StartAsync();

        var reply = await PostAsync(function, JsonContent.Create(new { url = $"http://admin:{Password}@127.0.0.1:1/cat.png" }));

        reply.AssertNonRetriedClientError();
        Assert.DoesNotContain(Password, reply.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("admin", reply.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(function.Logs.Entries, entry => entry.ToString().Contains(Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_truncated_image_is_a_422_that_names_no_decoder_internals()
    {
        var truncated = TestImages.Read("truncated.jpg");
        await using var function = await FunctionApp.StartAsync();

        var reply = await PostAsync(function, new ByteArrayContent(truncated) { Headers = { ContentType = new("image/jpeg") } });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Status);
        Assert.Equal(ProblemReply.TypeBase + "image-corrupt", reply.Type);
        Assert.DoesNotContain("Skia", reply.Body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("libjpeg", reply.Body, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(function.Logs.Entries, entry => entry.Message.Contains("image-corrupt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_address_names_neither_the_address_nor_the_guard_internals()
    {
        await using var function = await FunctionApp.StartAsync(new Dictionary<string, string?> { ["FETCH_ALLOW_PRIVATE_NETWORKS"] = "false" });

        var reply = await PostAsync(function, JsonContent.Create(new { url = "http://2130706433:1/cat.png" }));

        Assert.Equal(ProblemReply.TypeBase + "url-refused", reply.Type);
        Assert.DoesNotContain("127.0.0.1", reply.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", reply.Body, StringComparison.Ordinal);
        Assert.Contains(function.Logs.Entries, entry => entry.Message.Contains("url-refused", StringComparison.Ordinal) && entry.Exception is not null);
    }

    [Fact]
    public async Task An_upstream_error_page_is_not_echoed()
    {
        await using var upstream = await LoopbackServer.StartAsync(routes => routes.MapGet("/{**path}", () => Results.Text(InternalText, statusCode: 403)));
        await using var function = await FunctionApp.StartAsync(new Dictionary<string, string?> { ["FETCH_ALLOW_PRIVATE_NETWORKS"] = "true" });

        var reply = await PostAsync(function, JsonContent.Create(new { url = upstream.Url("/cat.png").ToString() }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Status);
        Assert.DoesNotContain("hunter2", reply.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/cat.png", 200)]
    [InlineData("/missing.png", 404)]
    public async Task A_presigned_url_reaches_no_log_line_beyond_its_host(string path, int status)
    {
        const string Signature = "X-Amz-Signature=d34db33f-signature";
        var image = TestImages.Read("chelsea.png");
        await using var upstream = await LoopbackServer.StartAsync(routes =>
            routes.MapGet("/cat.png", () => Results.Bytes(image, "image/png")));
        await using var function = await FunctionApp.StartAsync(new Dictionary<string, string?> { ["FETCH_ALLOW_PRIVATE_NETWORKS"] = "true" });

        using var response = await function.Client.PostAsync(new Uri("/", UriKind.Relative),
            JsonContent.Create(new { url = upstream.Url($"{path}?{Signature}").ToString() }));

        Assert.Equal(status == 200 ? HttpStatusCode.OK : HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(function.Logs.Entries, entry => entry.Values.TryGetValue("UrlHost", out var host) && Equals(host, upstream.Url("/").Host));
        Assert.DoesNotContain(function.Logs.Entries, entry => entry.ToString().Contains("d34db33f", StringComparison.Ordinal)
            || entry.ToString().Contains(path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_bug_is_a_500_that_says_nothing_of_it_and_is_logged_as_an_error()
    {
        await using var function = await FunctionApp.StartAsync(services: services =>
            services.Replace(ServiceDescriptor.Singleton<IImageLoader>(new ThrowingLoader())));

        var reply = await PostAsync(function, Replies.ImageContent("chelsea.png"));

        Assert.Equal(HttpStatusCode.InternalServerError, reply.Status);
        Assert.Equal(ProblemReply.TypeBase + "internal-error", reply.Type);
        Assert.DoesNotContain("hunter2", reply.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(InvalidOperationException), reply.Body, StringComparison.Ordinal);
        Assert.Contains(function.Logs.Entries, entry => entry.Level == LogLevel.Error && entry.Exception?.Message == InternalText);
    }

    private static async Task<ProblemReply> PostAsync(FunctionApp function, HttpContent content)
    {
        using (content)
        {
            using var response = await function.Client.PostAsync(new Uri("/", UriKind.Relative), content);
            return await ProblemReply.ReadAsync(response);
        }
    }

    private sealed class ThrowingLoader : IImageLoader
    {
        public ImageHeader Identify(ReadOnlyMemory<byte> bytes, Func<int, int, (int Width, int Height)> resizedSize) => throw new InvalidOperationException(InternalText);

        public DecodedImage Load(ImageHeader header, PixelRegion needed, DecodeDeadline deadline) => throw new InvalidOperationException(InternalText);
    }
}
