using System.Net;
using System.Net.Sockets;
using ImageClassifier.Failures;
using ImageClassifier.Fetching;
using ImageClassifier.Memory;
using ImageClassifier.Tests.Harness;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ImageClassifier.Tests.Fetching;

/// <summary>The fetcher as registered, against a real server on 127.0.0.1 (no other traffic).</summary>
public sealed class HttpImageFetcherTests : IDisposable
{
    private readonly List<ServiceProvider> providers = [];

    [Fact]
    public async Task Returns_the_image_bytes_exactly()
    {
        var image = TestImages.Read("rocket.jpg");
        await using var server = await LoopbackServer.StartAsync(context =>
        {
            context.Response.ContentType = "image/jpeg";
            return context.Response.Body.WriteAsync(image).AsTask();
        });

        var bytes = await Fetcher().FetchAsync(server.Url("/rocket.jpg"), CancellationToken.None);

        Assert.Equal(image, bytes.Bytes.ToArray());
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Reads_a_chunked_body_under_the_cap()
    {
        var image = TestImages.Read("coffee.png");
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            foreach (var chunk in image.Chunk(1000))
            {
                await context.Response.Body.WriteAsync(chunk);
                await context.Response.Body.FlushAsync();
            }
        });

        var bytes = await Fetcher().FetchAsync(server.Url("/coffee.png"), CancellationToken.None);

        Assert.Equal(image, bytes.Bytes.ToArray());
    }

    [Fact]
    public async Task An_upstream_404_is_an_unusable_image_after_one_attempt()
    {
        await using var server = await LoopbackServer.StartAsync(Status(StatusCodes.Status404NotFound));

        var failure = await FailureAsync(Fetcher(), server.Url("/missing.jpg"));

        Assert.Equal(Problems.ImageNotFound, failure.Type);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Another_upstream_4xx_is_rejected_after_one_attempt()
    {
        await using var server = await LoopbackServer.StartAsync(Status(StatusCodes.Status403Forbidden));

        var failure = await FailureAsync(Fetcher(), server.Url("/secret.jpg"));

        Assert.Equal(Problems.UpstreamRejected, failure.Type);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Two_503s_then_a_200_succeed_on_the_third_attempt()
    {
        var image = TestImages.Read("chelsea.png");
        var calls = 0;
        await using var server = await LoopbackServer.StartAsync(context =>
        {
            if (Interlocked.Increment(ref calls) <= 2)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return Task.CompletedTask;
            }

            return context.Response.Body.WriteAsync(image).AsTask();
        });

        var bytes = await Fetcher().FetchAsync(server.Url("/chelsea.png"), CancellationToken.None);

        Assert.Equal(image, bytes.Bytes.ToArray());
        Assert.Equal(3, server.RequestCount);
    }

    [Fact]
    public async Task A_503_that_never_ends_fails_the_upstream_after_every_retry()
    {
        await using var server = await LoopbackServer.StartAsync(Status(StatusCodes.Status503ServiceUnavailable));

        var failure = await FailureAsync(Fetcher(new() { ["FETCH_MAX_RETRIES"] = "3" }), server.Url("/busy.jpg"));

        Assert.Equal(Problems.UpstreamFailed, failure.Type);
        Assert.Equal(1 + 3, server.RequestCount);
    }

    [Fact]
    public async Task A_Content_Length_over_the_cap_is_refused()
    {
        await using var server = await LoopbackServer.StartAsync(context =>
        {
            context.Response.ContentLength = 4096;
            return context.Response.Body.WriteAsync(new byte[4096]).AsTask();
        });

        var failure = await FailureAsync(Fetcher(new() { ["FETCH_MAX_BYTES"] = "1024" }), server.Url("/big.jpg"));

        Assert.Equal(Problems.ImageTooLarge, failure.Type);
    }

    [Fact]
    public async Task A_chunked_body_over_the_cap_is_cut_off()
    {
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            // Endless: only the fetcher hanging up ends it.
            while (!context.RequestAborted.IsCancellationRequested)
            {
                await context.Response.Body.WriteAsync(new byte[512], context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        });

        var failure = await FailureAsync(Fetcher(new() { ["FETCH_MAX_BYTES"] = "1024" }), server.Url("/endless.jpg"));

        Assert.Equal(Problems.ImageTooLarge, failure.Type);
    }

    [Fact]
    public async Task A_body_slower_than_the_total_timeout_times_out()
    {
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            context.Response.ContentLength = 1000;
            while (!context.RequestAborted.IsCancellationRequested)
            {
                await context.Response.Body.WriteAsync(new byte[1], context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(200, context.RequestAborted);
            }
        });

        var failure = await FailureAsync(Fetcher(new() { ["FETCH_TIMEOUT_SECONDS"] = "1" }), server.Url("/slow.jpg"));

        Assert.Equal(Problems.UpstreamTimeout, failure.Type);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Follows_a_redirect_to_another_path()
    {
        var image = TestImages.Read("astronaut.png");
        await using var server = await LoopbackServer.StartAsync(context =>
        {
            if (context.Request.Path == "/old.png")
            {
                context.Response.Redirect("/new.png");
                return Task.CompletedTask;
            }

            return context.Request.Path == "/new.png"
                ? context.Response.Body.WriteAsync(image).AsTask()
                : Status(StatusCodes.Status404NotFound)(context);
        });

        var bytes = await Fetcher().FetchAsync(server.Url("/old.png"), CancellationToken.None);

        Assert.Equal(image, bytes.Bytes.ToArray());
        Assert.Equal(2, server.RequestCount);
    }

    [Fact]
    public async Task A_redirect_loop_stops_after_three_hops()
    {
        await using var server = await LoopbackServer.StartAsync(context =>
        {
            context.Response.Redirect("/loop");
            return Task.CompletedTask;
        });

        var failure = await FailureAsync(Fetcher(), server.Url("/loop"));

        Assert.Equal(Problems.TooManyRedirects, failure.Type);
        Assert.Equal(1 + 3, server.RequestCount);
    }

    [Fact]
    public async Task A_redirect_to_a_file_url_is_refused()
    {
        await using var server = await LoopbackServer.StartAsync(context =>
        {
            context.Response.Redirect("file:///etc/passwd");
            return Task.CompletedTask;
        });

        var failure = await FailureAsync(Fetcher(), server.Url("/sneaky.jpg"));

        Assert.Equal(Problems.UrlRefused, failure.Type);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task A_refused_connection_fails_the_upstream()
    {
        var failure = await FailureAsync(Fetcher(), new Uri($"http://127.0.0.1:{UnusedPort()}/cat.jpg"));

        Assert.Equal(Problems.UpstreamFailed, failure.Type);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("[::1]")]
    public async Task Loopback_is_refused_unless_private_networks_are_allowed(string host)
    {
        await using var server = await LoopbackServer.StartAsync(Status(StatusCodes.Status200OK));
        var fetcher = Fetcher(new() { ["FETCH_ALLOW_PRIVATE_NETWORKS"] = "false" });

        var failure = await FailureAsync(fetcher, new Uri($"http://{host}:{server.Port}/cat.jpg"));

        Assert.Equal(Problems.UrlRefused, failure.Type);
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task A_refused_scheme_never_reaches_the_network()
    {
        var failure = await FailureAsync(Fetcher(), new Uri("ftp://127.0.0.1/cat.jpg"));

        Assert.Equal(422, failure.Type.Status);
    }

    [Fact]
    public async Task The_callers_cancellation_is_a_cancellation_not_a_failure()
    {
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            received.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        using var cancellation = new CancellationTokenSource();

        var fetch = Fetcher().FetchAsync(server.Url("/hanging.jpg"), cancellation.Token);
        await received.Task;
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fetch);
        Assert.Equal(1, server.RequestCount);
    }

    public void Dispose()
    {
        foreach (var provider in providers)
        {
            provider.Dispose();
        }
    }

    private static RequestDelegate Status(int status) => context =>
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    };

    private static async Task<ClassificationException> FailureAsync(IImageFetcher fetcher, Uri url) =>
        await Assert.ThrowsAsync<ClassificationException>(() => fetcher.FetchAsync(url, CancellationToken.None));

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The fetcher as AddImageFetching registers it, allowed onto loopback with short retry delays.</summary>
    private IImageFetcher Fetcher(Dictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["FETCH_ALLOW_PRIVATE_NETWORKS"] = "true",
                ["FETCH_ALLOWED_PORTS"] = "",
                ["FETCH_RETRY_DELAY_MS"] = "1",
                [TestMemoryBudget.Setting.Key] = TestMemoryBudget.Setting.Value,
            })
            .AddInMemoryCollection(settings ?? [])
            .Build();
        var provider = new ServiceCollection().AddImageFetching(configuration).AddMemoryBudget(configuration).AddLogging().BuildServiceProvider();
        providers.Add(provider);
        return provider.GetRequiredService<IImageFetcher>();
    }
}
