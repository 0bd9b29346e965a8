using ImageClassifier.Edge;
using ImageClassifier.Failures;
using ImageClassifier.Tests.Harness;

namespace ImageClassifier.Tests.Edge;

public class BodyReaderTests
{
    [Fact]
    public async Task A_body_within_the_limit_is_read_whole()
    {
        var context = HttpContexts.Request("image/png", new byte[100]);

        var body = await BodyReader.ReadAsync(context.Request, 100, CancellationToken.None);

        Assert.Equal(100, body.Length);
    }

    [Fact]
    public async Task A_content_length_over_the_limit_is_refused_before_reading()
    {
        var context = HttpContexts.Request("image/png", new byte[101]);

        var failure = await Assert.ThrowsAsync<ClassificationException>(
            () => BodyReader.ReadAsync(context.Request, 100, CancellationToken.None));

        Assert.Equal(Problems.PayloadTooLarge, failure.Type);
        Assert.Equal(0, context.Request.Body.Position);
    }

    [Fact]
    public async Task A_streamed_body_without_content_length_is_read_whole_within_the_limit()
    {
        var context = HttpContexts.Request("image/png", new byte[200_000], withContentLength: false);

        var body = await BodyReader.ReadAsync(context.Request, 200_000, CancellationToken.None);

        Assert.Equal(200_000, body.Length);
    }

    [Fact]
    public async Task A_streamed_body_over_the_limit_is_refused()
    {
        var context = HttpContexts.Request("image/png", new byte[200_001], withContentLength: false);

        var failure = await Assert.ThrowsAsync<ClassificationException>(
            () => BodyReader.ReadAsync(context.Request, 200_000, CancellationToken.None));

        Assert.Equal(413, failure.Type.Status);
    }

    [Fact]
    public async Task A_body_shorter_than_its_content_length_is_an_invalid_request()
    {
        var context = HttpContexts.Request("image/png", new byte[10]);
        context.Request.ContentLength = 20;

        var failure = await Assert.ThrowsAsync<ClassificationException>(
            () => BodyReader.ReadAsync(context.Request, 100, CancellationToken.None));

        Assert.Equal(Problems.InvalidRequest, failure.Type);
    }
}
