using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using ImageClassifier.Tests.Harness;
using ImageClassifier.Tests.Integration;
using ImageClassifier.Tests.Observability;
using Xunit.Abstractions;

namespace ImageClassifier.Tests.MLflow;

/// <summary>
/// The published function, started as the buildpack starts it, against an MLflow server whose every
/// answer is a JSON body that never ends. Loading <c>models:/clf@champion</c> from it gives up with
/// a clear error line, and tracking predictions to it leaves every classification answered 200;
/// either way the peak resident set (VmHWM) stays under the Knative Service's 512 MiB.
/// </summary>
[Collection(ProcessWideTests.Name)]
public sealed class PublishedUntrustedServerTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const long PodMemoryLimit = 512L * 1024 * 1024;
    private MLflowStandIn _mlflow = null!;

    public async Task InitializeAsync()
    {
        _mlflow = await MLflowStandIn.StartAsync();
        _mlflow.AnswerWithoutEnd = true;
    }

    public async Task DisposeAsync() => await _mlflow.DisposeAsync();

    [Fact]
    public async Task A_registry_load_from_a_server_that_answers_without_end_gives_up_with_a_clear_error_and_bounded_memory()
    {
        await using var function = await PublishedFunction.StartAsync(new Dictionary<string, string>
        {
            ["MLFLOW_TRACKING_URI"] = _mlflow.BaseAddress.AbsoluteUri,
            ["MODEL_URI"] = "models:/clf@champion",
        });

        // VmHWM only rises: the last reading before the process exits is its peak but for the last moment.
        long peak = 0;
        var started = Stopwatch.GetTimestamp();
        var exited = function.WaitForExitAsync(TimeSpan.FromSeconds(90));
        while (!exited.IsCompleted)
        {
            peak = Math.Max(peak, PeakResident(function.ProcessId));
            await Task.Delay(10);
        }

        var exitCode = exited.IsCompletedSuccessfully ? await exited : (int?)null;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{(exitCode is null ? "still running" : "gave up")} after {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s; peak RSS {peak / 1048576.0:0.0} MiB; the stand-in sent {_mlflow.EndlessBytesSent / 1048576.0:0.0} MiB"));
        Assert.True(exitCode == 1, $"the process did not give up (exit code {exitCode?.ToString(CultureInfo.InvariantCulture) ?? "none within 90 s"}); peak RSS {peak / 1048576} MiB\n{function.Output}");
        Assert.Contains(function.Output.Split('\n'), line =>
            line.Contains("The model could not be loaded", StringComparison.Ordinal) && line.Contains("MLFLOW_MAX_RESPONSE_BYTES", StringComparison.Ordinal));
        Assert.True(peak is > 0 and < PodMemoryLimit, $"the peak resident set was {peak / 1048576} MiB\n{function.Output}");
    }

    [Fact]
    public async Task Tracking_to_a_server_that_answers_without_end_answers_every_classification_200_with_bounded_memory()
    {
        await using var function = await PublishedFunction.StartAsync(new Dictionary<string, string>
        {
            ["MLFLOW_TRACKING_URI"] = _mlflow.BaseAddress.AbsoluteUri,
        });
        using var client = new HttpClient { BaseAddress = function.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        await function.WaitUntilReadyAsync(client);
        var image = TestImages.Read("rocket.jpg");

        var statuses = new List<HttpStatusCode>();
        for (var classification = 0; classification < 30; classification++)
        {
            using var content = new ByteArrayContent(image);
            content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            using var response = await client.PostAsync(new Uri("/", UriKind.Relative), content);
            statuses.Add(response.StatusCode);
        }

        await Eventually.WaitAsync(async () => (await ScrapeAsync(client)).Value("imageclassifier_mlflow_dropped_total", ("reason", "failed")) >= 30,
            "the predictions were not all given up");
        var metrics = await ScrapeAsync(client);
        var peak = PeakResident(function.ProcessId);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"30 classifications: {statuses.Count(status => status == HttpStatusCode.OK)} × 200; peak RSS {peak / 1048576.0:0.0} MiB; the stand-in sent {_mlflow.EndlessBytesSent / 1048576.0:0.0} MiB"));
        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.True(metrics.Value("imageclassifier_mlflow_refused_total", ("reason", "too_large")) >= 30);
        Assert.True(peak < PodMemoryLimit, $"the peak resident set was {peak / 1048576} MiB\n{function.Output}");
    }

    private static async Task<PrometheusText> ScrapeAsync(HttpClient client) =>
        PrometheusText.Parse(await client.GetStringAsync(new Uri("/metrics", UriKind.Relative)));

    /// <summary>The highest resident set the kernel saw for the process (VmHWM), or 0 once it is gone.</summary>
    private static long PeakResident(int processId)
    {
        try
        {
            var line = File.ReadLines($"/proc/{processId}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return 0;
        }
    }
}
