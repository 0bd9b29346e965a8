using System.Net;
using System.Net.Http.Json;
using ImageClassifier.Tests.Harness;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ImageClassifier.Tests.Integration;

/// <summary>
/// Hostile and failing image hosts, through the running app with private networks allowed so
/// that the hosts can live on 127.0.0.1: each ends in the status the README's table gives it, after the
/// number of attempts a retry policy should make, and within the fetch's total time.
/// </summary>
public sealed class UpstreamBehaviourTests(UpstreamBehaviourTests.Hosts hosts) : IClassFixture<UpstreamBehaviourTests.Hosts>
{
    private const int TimeoutSeconds = 2;
    private const int MaxRetries = 2;

    /// <summary>Generous against a loaded machine, but far short of what a hang would take.</summary>
    private static readonly TimeSpan AnswerBound = TimeSpan.FromSeconds(TimeoutSeconds + 20);

    [Fact]
    public async Task A_redirect_loop_is_502_after_three_hops() =>
        Assert.Equal((HttpStatusCode.BadGateway, "too-many-redirects", 4), await hosts.FetchAsync("/loop"));

    [Fact]
    public async Task A_redirect_to_file_is_422_and_reads_no_file()
    {
        var (status, problem, hits) = await hosts.FetchAsync("/to-file");

        Assert.Equal((HttpStatusCode.UnprocessableEntity, "url-refused", 1), (status, problem, hits));
    }

    [Fact]
    public async Task Four_hops_are_502()
    {
        var (status, problem, _) = await hosts.FetchAsync("/hop/4");

        Assert.Equal((HttpStatusCode.BadGateway, "too-many-redirects"), (status, problem));
        Assert.Equal(0, hosts.Server.Hits("/hop/0"));
    }

    [Fact]
    public async Task Three_hops_are_followed_to_the_image()
    {
        var (status, _, _) = await hosts.FetchAsync("/hop/3");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, hosts.Server.Hits("/hop/0"));
    }

    [Fact]
    public async Task A_body_of_30_MiB_with_its_length_is_422_before_it_is_read() =>
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "image-too-large", 1), await hosts.FetchAsync("/huge"));

    [Fact]
    public async Task A_chunked_body_of_30_MiB_is_cut_at_FETCH_MAX_BYTES_and_is_422() =>
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "image-too-large", 1), await hosts.FetchAsync("/huge-chunked"));

    [Fact]
    public async Task An_endless_chunked_body_is_422() =>
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "image-too-large", 1), await hosts.FetchAsync("/endless"));

    [Fact]
    public async Task A_body_at_one_byte_a_second_is_504_within_the_total_timeout() =>
        Assert.Equal((HttpStatusCode.GatewayTimeout, "upstream-timeout", 1), await hosts.FetchAsync("/trickle"));

    [Fact]
    public async Task Headers_never_finished_are_504_within_the_total_timeout()
    {
        var (status, problem, _) = await hosts.FetchAsync("/silent");

        Assert.Equal((HttpStatusCode.GatewayTimeout, "upstream-timeout"), (status, problem));
    }

    [Fact]
    public async Task Two_503s_then_a_200_succeed_after_exactly_three_attempts() =>
        Assert.Equal((HttpStatusCode.OK, (string?)null, 3), await hosts.FetchAsync("/flaky"));

    [Fact]
    public async Task A_503_forever_is_502_after_one_attempt_plus_FETCH_MAX_RETRIES() =>
        Assert.Equal((HttpStatusCode.BadGateway, "upstream-failed", 1 + MaxRetries), await hosts.FetchAsync("/down"));

    [Fact]
    public async Task A_404_is_422_after_exactly_one_attempt() =>
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "image-not-found", 1), await hosts.FetchAsync("/missing"));

    [Fact]
    public async Task A_503_asking_to_retry_after_a_day_is_answered_within_the_total_timeout()
    {
        var (status, _, hits) = await hosts.FetchAsync("/retry-tomorrow");

        Assert.Contains(status, new[] { HttpStatusCode.BadGateway, HttpStatusCode.GatewayTimeout });
        Assert.InRange(hits, 1, 1 + MaxRetries);
    }

    [Fact]
    public async Task Html_served_as_a_jpeg_is_422() =>
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "not-an-image", 1), await hosts.FetchAsync("/page"));

    /// <summary>The app (private networks allowed, short timeouts) and one server with every behaviour on its own path.</summary>
    public sealed class Hosts : IAsyncLifetime
    {
        private const int ThirtyMiB = 30 * 1024 * 1024;

        private readonly FunctionApp _function = new(new Dictionary<string, string?>
        {
            ["FETCH_TIMEOUT_SECONDS"] = $"{TimeoutSeconds}",
            ["FETCH_MAX_RETRIES"] = $"{MaxRetries}",
            ["FETCH_RETRY_DELAY_MS"] = "1",
        });

        private int _flakyCalls;

        public LoopbackServer Server { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Server = await LoopbackServer.StartAsync(Map);
            await _function.InitializeAsync();
        }

        public async Task DisposeAsync()
        {
            await Server.DisposeAsync();
            await _function.DisposeAsync();
        }

        /// <summary>Asks the app to classify the server's <paramref name="path"/>: the status, the problem slug (null on success) and the path's hits.</summary>
        public async Task<(HttpStatusCode Status, string? Problem, int Hits)> FetchAsync(string path)
        {
            using var bound = new CancellationTokenSource(AnswerBound);
            using var response = await _function.Client.PostAsync(
                new Uri("/", UriKind.Relative), JsonContent.Create(new { url = Server.Url(path).ToString() }), bound.Token);
            var reply = await ProblemReply.ReadAsync(response, bound.Token);
            return (reply.Status, reply.Type?[ProblemReply.TypeBase.Length..], Server.Hits(path));
        }

        private void Map(IEndpointRouteBuilder routes)
        {
            var chelsea = TestImages.Read("chelsea.png");
            routes.MapGet("/loop", () => Results.Redirect("/loop"));
            routes.MapGet("/to-file", () => Results.Redirect("file:///etc/passwd"));
            routes.MapGet("/hop/{n:int}", (int n) => n == 0 ? Results.Bytes(chelsea, "image/png") : Results.Redirect($"/hop/{n - 1}"));
            routes.MapGet("/huge", async context =>
            {
                context.Response.ContentType = "image/png";
                context.Response.ContentLength = ThirtyMiB;
                await WriteZerosAsync(context, ThirtyMiB);
            });
            routes.MapGet("/huge-chunked", context => WriteZerosAsync(context, ThirtyMiB));
            routes.MapGet("/endless", context => WriteZerosAsync(context, long.MaxValue));
            routes.MapGet("/trickle", async context =>
            {
                context.Response.ContentType = "image/png";
                context.Response.ContentLength = chelsea.Length;
                for (var i = 0; i < chelsea.Length && !context.RequestAborted.IsCancellationRequested; i++)
                {
                    await context.Response.Body.WriteAsync(chelsea.AsMemory(i, 1), context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                    await Task.Delay(TimeSpan.FromSeconds(1), context.RequestAborted);
                }
            });
            routes.MapGet("/silent", async context => await Task.Delay(Timeout.Infinite, context.RequestAborted));
            routes.MapGet("/flaky", () => Interlocked.Increment(ref _flakyCalls) <= 2
                ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable)
                : Results.Bytes(chelsea, "image/png"));
            routes.MapGet("/down", () => Results.StatusCode(StatusCodes.Status503ServiceUnavailable));
            routes.MapGet("/missing", () => Results.NotFound());
            routes.MapGet("/retry-tomorrow", context =>
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.Headers.RetryAfter = "86400";
                return Task.CompletedTask;
            });
            routes.MapGet("/page", () => Results.Text("<html><body>not an image</body></html>", "image/jpeg"));
        }

        private static async Task WriteZerosAsync(HttpContext context, long length)
        {
            var chunk = new byte[64 * 1024];
            for (long sent = 0; sent < length && !context.RequestAborted.IsCancellationRequested; sent += chunk.Length)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
            }
        }
    }
}
