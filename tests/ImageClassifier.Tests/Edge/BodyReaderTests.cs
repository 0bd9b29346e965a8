using System.IO.Pipelines;
using ImageClassifier.Edge;
using ImageClassifier.Failures;
using ImageClassifier.Tests.Harness;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ImageClassifier.Tests.Edge;

public sealed class BodyReaderTests : IDisposable
{
    private readonly FakeTimeProvider clock = new();
    private readonly ServiceProvider services;
    private readonly BodyReader reader;

    public BodyReaderTests()
    {
        services = EdgeServices.Build(new Dictionary<string, string?> { ["REQUEST_BODY_TIMEOUT_SECONDS"] = "10" }, clock);
        reader = services.Bodies();
    }

    public void Dispose() => services.Dispose();

    [Fact]
    public async Task A_body_within_the_limit_is_read_whole()
    {
        var context = HttpContexts.Request("image/png", [.. Enumerable.Range(0, 100).Select(i => (byte)i)]);

        using var body = await reader.ReadAsync(context.Request, 100, CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, 100).Select(i => (byte)i), body.Memory.ToArray());
    }

    [Fact]
    public async Task A_content_length_over_the_limit_is_refused_before_reading()
    {
        var context = HttpContexts.Request("image/png", new byte[101]);

        var failure = await Assert.ThrowsAsync<ClassificationException>(
            () => reader.ReadAsync(context.Request, 100, CancellationToken.None));

        Assert.Equal(Problems.PayloadTooLarge, failure.Type);
        Assert.Equal(0, context.Request.Body.Position);
    }

    [Fact]
    public async Task A_streamed_body_without_content_length_is_read_whole_within_the_limit()
    {
        var context = HttpContexts.Request("image/png", new byte[200_000], withContentLength: false);

        using var body = await reader.ReadAsync(context.Request, 200_000, CancellationToken.None);

        Assert.Equal(200_000, body.Length);
    }

    [Fact]
    public async Task A_streamed_body_over_the_limit_is_refused_and_its_memory_given_back()
    {
        var context = HttpContexts.Request("image/png", new byte[200_001], withContentLength: false);

        var failure = await Assert.ThrowsAsync<ClassificationException>(
            () => reader.ReadAsync(context.Request, 200_000, CancellationToken.None));

        Assert.Equal(Problems.PayloadTooLarge, failure.Type);
        Assert.Equal(0, services.Budget().Reserved);
    }

    [Fact]
    public async Task A_body_shorter_than_its_content_length_is_an_invalid_request()
    {
        var context = HttpContexts.Request("image/png", new byte[10]);
        context.Request.ContentLength = 20;

        var failure = await Assert.ThrowsAsync<ClassificationException>(
            () => reader.ReadAsync(context.Request, 100, CancellationToken.None));

        Assert.Equal(Problems.InvalidRequest, failure.Type);
    }

    [Fact]
    public async Task The_memory_follows_the_bytes_that_arrived_not_the_declared_length()
    {
        // A body that declares 20 MB and sends 1 KB, then stalls: only the bytes that came are paid for.
        var pipe = new Pipe();
        var context = HttpContexts.Request("image/png", []);
        context.Request.Body = pipe.Reader.AsStream();
        context.Request.ContentLength = 20_000_000;
        await pipe.Writer.WriteAsync(new byte[1024]);

        var reading = reader.ReadAsync(context.Request, 20_000_000, CancellationToken.None);
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (services.Budget().Reserved == 0)
        {
            await Task.Delay(1, patience.Token);
        }

        Assert.InRange(services.Budget().Reserved, 1024, 64 * 1024);
        await pipe.Writer.CompleteAsync();
        var failure = await Assert.ThrowsAsync<ClassificationException>(() => reading);
        Assert.Equal(Problems.InvalidRequest, failure.Type);
    }

    [Fact]
    public async Task A_body_slower_than_REQUEST_BODY_TIMEOUT_SECONDS_is_408_and_its_memory_given_back()
    {
        var pipe = new Pipe();
        var context = HttpContexts.Request("image/png", []);
        context.Request.Body = pipe.Reader.AsStream();
        context.Request.ContentLength = 100_000;
        await pipe.Writer.WriteAsync(new byte[100]);

        var reading = reader.ReadAsync(context.Request, 100_000, CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(10));

        var failure = await Assert.ThrowsAsync<ClassificationException>(() => reading);
        Assert.Equal(Problems.RequestTimeout, failure.Type);
        Assert.Contains("REQUEST_BODY_TIMEOUT_SECONDS", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, services.Budget().Reserved);
    }

    [Fact]
    public async Task A_body_larger_than_the_whole_memory_budget_is_413_too_large_for_memory()
    {
        using var small = EdgeServices.Build(new Dictionary<string, string?> { ["MEMORY_BUDGET_BYTES"] = "1048576" });
        var context = HttpContexts.Request("image/png", new byte[2_000_000], withContentLength: false);

        var failure = await Assert.ThrowsAsync<ClassificationException>(
            () => small.Bodies().ReadAsync(context.Request, 4_000_000, CancellationToken.None));

        Assert.Equal(Problems.TooLargeForMemory, failure.Type);
        Assert.Equal(0, small.Budget().Reserved);
    }

    [Fact]
    public async Task Disposing_the_body_gives_its_memory_back()
    {
        var context = HttpContexts.Request("image/png", new byte[300_000]);

        var body = await reader.ReadAsync(context.Request, 300_000, CancellationToken.None);
        Assert.True(services.Budget().Reserved >= 300_000);
        body.Dispose();

        Assert.Equal(0, services.Budget().Reserved);
    }
}
