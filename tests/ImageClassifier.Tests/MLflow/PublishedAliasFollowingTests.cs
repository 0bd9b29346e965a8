using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using ImageClassifier.Tests.Harness;
using ImageClassifier.Tests.Inference;
using ImageClassifier.Tests.Integration;
using ImageClassifier.Tests.Observability;
using Xunit.Abstractions;

namespace ImageClassifier.Tests.MLflow;

/// <summary>
/// The published function, started by the Procfile as the buildpack starts it, following
/// <c>models:/classifier@champion</c> on the MLflow stand-in through ten swaps between MobileNet v2
/// and ShuffleNet v2 (and a corrupt version on the way) under steady traffic: its resident memory
/// stays flat, and its metrics say which model answers and that two sessions are open only during a swap.
/// It runs alone: its traffic would starve the other published-process tests of CPU, and theirs would skew its memory.
/// </summary>
[Collection(ProcessWideTests.Name)]
public sealed class PublishedAliasFollowingTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Name = "classifier";
    private const string Alias = "champion";
    private const int Swaps = 10;
    private const int WarmUpRequests = 2000;

    private static readonly byte[] MobileNet = File.ReadAllBytes(SharedModels.MobileNet);
    private static readonly byte[] ShuffleNet = File.ReadAllBytes(SharedModels.ShuffleNet);

    private MLflowStandIn _mlflow = null!;

    public async Task InitializeAsync()
    {
        _mlflow = await MLflowStandIn.StartAsync();
        _mlflow.RegisterModelVersion(Name, "1", new Dictionary<string, byte[]> { ["model.onnx"] = MobileNet }, Alias);
        _mlflow.RegisterModelVersion(Name, "2", new Dictionary<string, byte[]> { ["model.onnx"] = ShuffleNet });
        _mlflow.RegisterModelVersion(Name, "3", new Dictionary<string, byte[]> { ["model.onnx"] = BrokenModels.Truncated(ShuffleNet) });
    }

    public async Task DisposeAsync()
    {
        await _mlflow.DisposeAsync();
    }

    [Fact]
    public async Task Resident_memory_after_ten_swaps_under_load_stays_within_15_percent_of_after_the_first()
    {
        await using var function = await PublishedFunction.StartAsync(new Dictionary<string, string>
        {
            ["MLFLOW_TRACKING_URI"] = _mlflow.BaseAddress.AbsoluteUri,
            ["MODEL_URI"] = $"models:/{Name}@{Alias}",
            ["MODEL_REFRESH_SECONDS"] = "1",
            ["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] = "0",
        });
        using var client = new HttpClient { BaseAddress = function.BaseAddress };
        await function.WaitUntilReadyAsync(client);
        await using var load = new SteadyLoad(client, workers: 2);

        // The process first grows to what steady traffic needs (the GC's heaps, the pools); the swaps are measured from there.
        await load.WaitForMoreAsync(WarmUpRequests);
        var baseline = await SettledResidentAsync(function.ProcessId);
        output.WriteLine($"after {WarmUpRequests} requests, before any swap: RSS {Mib(baseline)}");

        var resident = new List<long>();
        for (var swap = 1; swap <= Swaps; swap++)
        {
            var version = swap % 2 == 1 ? "2" : "1";
            if (swap == Swaps / 2)
            {
                // A corrupt version on the way: refused, and nothing of it stays resident.
                await _mlflow.SetAliasAsync(Name, Alias, "3");
                await Eventually.WaitAsync(async () => (await ScrapeAsync(client)).Value("imageclassifier_model_refresh_total", ("outcome", "invalid_model")) >= 1,
                    "the corrupt version was not refused");
            }

            var peakReset = ResetPeak(function.ProcessId);
            var moved = Stopwatch.GetTimestamp();
            await _mlflow.SetAliasAsync(Name, Alias, version);
            await load.WaitForAnswerAsync(moved, answer => answer.Version == version, $"swap {swap}: version {version} was never served");
            await Eventually.WaitAsync(async () => OnlyModel(await ScrapeAsync(client), version), $"swap {swap}: the old session stayed open");
            var served = Stopwatch.GetElapsedTime(moved);
            var peak = Memory(function.ProcessId).Peak;
            await load.WaitForMoreAsync(10);
            resident.Add(await SettledResidentAsync(function.ProcessId));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"swap {swap} to version {version}: served {served.TotalSeconds:0.0} s after the move; peak RSS during the swap {(peakReset ? Mib(peak) : "n/a")}; RSS after it {Mib(resident[^1])}"));
        }

        await load.StopAsync();
        Assert.All(load.Answers, answer => Assert.True(answer.Status == HttpStatusCode.OK, $"{(int)answer.Status} {answer.Body}"));
        Assert.All(load.Readiness, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.DoesNotContain(load.Answers, answer => answer.Version == "3");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RSS after swap 1: {Mib(resident[0])}; after swap {Swaps}: {Mib(resident[^1])} ({(double)resident[^1] / resident[0]:0.000}×); {load.Answers.Count} requests, all 200"));
        Assert.True(resident[^1] <= resident[0] * 1.15,
            $"RSS grew from {Mib(resident[0])} after the first swap to {Mib(resident[^1])} after the {Swaps}th:\n{function.Output}");
    }

    /// <summary>The median of readings over two seconds of the traffic, less sensitive to where the GC happens to be.</summary>
    private static async Task<long> SettledResidentAsync(int processId)
    {
        var readings = new List<long>();
        for (var reading = 0; reading < 21; reading++)
        {
            readings.Add(Memory(processId).Resident);
            await Task.Delay(100);
        }

        return readings.Order().ElementAt(readings.Count / 2);
    }

    /// <summary>The model gauge names <paramref name="version"/> with its SHA-256, and one session is open.</summary>
    private static bool OnlyModel(PrometheusText metrics, string version)
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(version == "1" ? MobileNet : ShuffleNet));
        return metrics.Matching("imageclassifier_model_info", ("version", version), ("sha256", sha256)).Count() == 1
            && metrics.Matching("imageclassifier_model_info").Count() == 1
            && metrics.Value("imageclassifier_model_sessions") == 1;
    }

    private static async Task<PrometheusText> ScrapeAsync(HttpClient client) =>
        PrometheusText.Parse(await client.GetStringAsync(new Uri("/metrics", UriKind.Relative)));

    /// <summary>The process's resident set and its peak (since start, or since <see cref="ResetPeak"/>), from /proc.</summary>
    private static (long Resident, long Peak) Memory(int processId)
    {
        var status = File.ReadAllLines($"/proc/{processId}/status");
        long Kib(string field) => long.Parse(status.Single(line => line.StartsWith(field + ":", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        return (Kib("VmRSS"), Kib("VmHWM"));
    }

    /// <summary>Resets the kernel's peak-RSS mark (clear_refs 5), so the next reading is the peak of what follows; false where not allowed.</summary>
    private static bool ResetPeak(int processId)
    {
        try
        {
            File.WriteAllText($"/proc/{processId}/clear_refs", "5");
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0.0} MiB");
}
