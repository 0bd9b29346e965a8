using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using ImageClassifier.Tests.Harness;

namespace ImageClassifier.Tests.Integration;

/// <summary>
/// SIGTERM to the published process, as Knative's runtime contract has it: readiness goes 503,
/// new requests are refused with 503, requests in flight finish with their answer, and the
/// process exits 0 within its shutdown timeout, having written nothing beside itself or in HOME.
/// </summary>
public class GracefulShutdownTests
{
    private const int InFlight = 3;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task SIGTERM_under_load_finishes_the_requests_in_flight_refuses_new_ones_and_exits_0()
    {
        var coffee = TestImages.Read("coffee.png");
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var images = await LoopbackServer.StartAsync(async context =>
        {
            // The image host answers only when the test lets it, keeping the requests in flight.
            await release.Task;
            context.Response.ContentType = "image/png";
            await context.Response.Body.WriteAsync(coffee);
        });
        var home = Directory.CreateTempSubdirectory("image-classifier-home-");
        await using var function = await PublishedFunction.StartAsync(new Dictionary<string, string>
        {
            ["FETCH_ALLOW_PRIVATE_NETWORKS"] = "true",
            ["FETCH_ALLOWED_PORTS"] = "",
            ["SHUTDOWN_DRAIN_SECONDS"] = "5",
            ["SHUTDOWN_TIMEOUT_SECONDS"] = "25",
            ["HOME"] = home.FullName,
        });
        using var client = new HttpClient { Timeout = Patience };
        await function.WaitUntilReadyAsync(client);
        var publishOutput = Snapshot(function.Folder);

        var inFlight = Enumerable.Range(0, InFlight)
            .Select(i => client.PostAsync(function.BaseAddress, JsonContent.Create(new { url = images.Url($"/coffee-{i}.png").ToString() })))
            .ToArray();
        await EventuallyAsync(() => Task.FromResult(images.RequestCount == InFlight), "the image host never saw every request");

        // The signal must reach the runtime itself, not a shell that would not pass it on.
        Assert.Contains("ImageClassifier.dll", await File.ReadAllTextAsync($"/proc/{function.ProcessId}/cmdline"), StringComparison.Ordinal);
        await function.TerminateAsync();

        await EventuallyAsync(async () =>
        {
            using var ready = await client.GetAsync(new Uri(function.BaseAddress, "/readyz"));
            return ready.StatusCode == HttpStatusCode.ServiceUnavailable;
        }, "/readyz never answered 503");
        using (var refused = await client.PostAsync(function.BaseAddress, JsonContent.Create(new { url = images.Url("/late.png").ToString() })))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
            Assert.Contains("shutting-down", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Past the drain the server stops listening, while the requests in flight still wait on the image host.
        await EventuallyAsync(() => Task.FromResult(!Listening(function.BaseAddress.Port)), "the server never stopped listening");
        Assert.False(inFlight.Any(request => request.IsCompleted), "A request in flight was answered before its image arrived.");
        release.SetResult();

        foreach (var request in inFlight)
        {
            using var response = await request;
            Assert.Equal("espresso", Replies.Labels(Replies.DataOf(await Replies.ReadEventAsync(response)))[0]);
        }

        var exitCode = await function.WaitForExitAsync(Patience);
        Assert.True(exitCode == 0, $"Exit code {exitCode}:\n{function.Output}");
        Assert.Equal(0, images.Hits("/late.png"));
        Assert.Equal(publishOutput, Snapshot(function.Folder));
        Assert.Empty(home.EnumerateFileSystemInfos("*", SearchOption.AllDirectories));
        home.Delete(recursive: true);
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string failure)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!await condition())
        {
            Assert.False(timeout.IsCancellationRequested, failure);
            await Task.Delay(50);
        }
    }

    private static bool Listening(int port)
    {
        using var probe = new TcpClient();
        try
        {
            probe.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string[] Snapshot(string folder) =>
        [.. Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories)
            .Select(path => $"{Path.GetRelativePath(folder, path)} {(File.Exists(path) ? new FileInfo(path).Length : -1)} {File.GetLastWriteTimeUtc(path):O}")
            .Order(StringComparer.Ordinal)];
}
