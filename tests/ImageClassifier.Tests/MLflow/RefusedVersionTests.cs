using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using ImageClassifier.Inference;
using ImageClassifier.Tests.Harness;
using ImageClassifier.Tests.Inference;
using Microsoft.Extensions.DependencyInjection;

namespace ImageClassifier.Tests.MLflow;

/// <summary>
/// Versions that must never be served, reached by moving the alias under traffic, and a registry
/// that stops answering: each is logged and counted by its outcome, the current model keeps
/// answering every request, readiness never drops, and a good version moved to afterwards is served.
/// </summary>
public sealed class RefusedVersionTests : IAsyncLifetime
{
    private const string Name = "classifier";
    private const string Alias = "champion";

    private static readonly byte[] MobileNet = File.ReadAllBytes(SharedModels.MobileNet);
    private static readonly byte[] ShuffleNet = File.ReadAllBytes(SharedModels.ShuffleNet);

    private readonly string _cache = Directory.CreateTempSubdirectory("ic-refused-").FullName;
    private MLflowStandIn _mlflow = null!;

    public async Task InitializeAsync()
    {
        _mlflow = await MLflowStandIn.StartAsync();
        _mlflow.RegisterModelVersion(Name, "1", Files(MobileNet), Alias);
    }

    public async Task DisposeAsync()
    {
        await _mlflow.DisposeAsync();
        Directory.Delete(_cache, recursive: true);
    }

    [Theory]
    [InlineData("a file cut short", ModelMetrics.Outcomes.InvalidModel)]
    [InlineData("labels that do not fit the output", ModelMetrics.Outcomes.InvalidModel)]
    [InlineData("a model answering NaN", ModelMetrics.Outcomes.BadOutput)]
    [InlineData("a download longer than the listed size", ModelMetrics.Outcomes.DownloadFailed)]
    [InlineData("a download that stalls", ModelMetrics.Outcomes.DownloadFailed)]
    public async Task A_bad_version_is_never_served_and_a_good_one_moved_to_after_it_is(string kind, string outcome)
    {
        _mlflow.RegisterModelVersion(Name, "2", kind switch
        {
            "a file cut short" => Files(BrokenModels.Truncated(ShuffleNet)),
            "labels that do not fit the output" => Files(ShuffleNet, labels: "cat\ndog\n"),
            "a model answering NaN" => Files(BrokenModels.AnsweringNaN(ShuffleNet)),
            _ => Files(ShuffleNet),
        });
        _mlflow.RegisterModelVersion(Name, "3", Files(ShuffleNet));
        await using var app = App();
        using var client = await app.CreateReadyClientAsync();
        using var counters = new CounterRecorder(app.Services);
        await using var load = new SteadyLoad(client, workers: 2);
        _mlflow.OversizeDownloadsOf = kind == "a download longer than the listed size" ? "model.onnx" : null;
        _mlflow.StallDownloadsOf = kind == "a download that stalls" ? "model.onnx" : null;

        await _mlflow.SetAliasAsync(Name, Alias, "2");
        await Eventually.WaitAsync(() => Refreshes(counters, outcome) >= 1, $"{kind} was not refused as {outcome}");
        await load.WaitForMoreAsync(5);
        _mlflow.OversizeDownloadsOf = null;
        _mlflow.StallDownloadsOf = null;
        var moved = Stopwatch.GetTimestamp();
        await _mlflow.SetAliasAsync(Name, Alias, "3");
        await load.WaitForAnswerAsync(moved, answer => answer.Version == "3", "the good version after the bad one was never served");
        await load.StopAsync();

        Assert.All(load.Answers, answer => Assert.True(answer.Status == HttpStatusCode.OK, $"{(int)answer.Status} {answer.Body}"));
        Assert.All(load.Readiness, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.DoesNotContain(load.Answers, answer => answer.Version == "2");
        Assert.All(load.Answers.Where(answer => answer.Started < moved), answer => Assert.Equal("1", answer.Version));
        Assert.Contains(app.Logs.Warnings, warning => warning.StartsWith($"Version 2 of MODEL_URI is not served ({outcome}, attempt 1)", StringComparison.Ordinal));
        Assert.Equal(1, Refreshes(counters, ModelMetrics.Outcomes.Swapped));
        if (outcome == ModelMetrics.Outcomes.DownloadFailed)
        {
            // Nothing that looks whole is left of a download that failed.
            Assert.DoesNotContain(CachedModels(), path => OfVersion(path, "2"));
        }
    }

    [Fact]
    public async Task A_cached_file_that_changed_is_a_hash_mismatch_then_downloaded_again()
    {
        var artifacts = _mlflow.RegisterModelVersion(Name, "2", Files(ShuffleNet));
        await using var app = App();
        using var client = await app.CreateReadyClientAsync();
        using var counters = new CounterRecorder(app.Services);
        await using var load = new SteadyLoad(client, workers: 1);
        await MoveAndWaitAsync(load, "2");
        await MoveAndWaitAsync(load, "1");
        var cached = CachedModels().Single(path => OfVersion(path, "2"));
        var bytes = await File.ReadAllBytesAsync(cached);
        bytes[bytes.Length / 2] ^= 0xFF;
        await File.WriteAllBytesAsync(cached, bytes);

        var moved = Stopwatch.GetTimestamp();
        await _mlflow.SetAliasAsync(Name, Alias, "2");
        await Eventually.WaitAsync(() => Refreshes(counters, ModelMetrics.Outcomes.HashMismatch) == 1, "the changed cache file was not caught");
        Assert.Equal("1", app.Services.GetRequiredService<IClassifier>().Model.Version);
        await load.WaitForAnswerAsync(moved, answer => answer.Version == "2" && answer.Sha256 == Sha256(ShuffleNet), "version 2 was not downloaded again and served");
        await load.StopAsync();

        Assert.Equal(ShuffleNet, await File.ReadAllBytesAsync(cached));
        await _mlflow.WaitForAsync(calls => calls.Count(call => call.Method == "GET" && call.Path == artifacts.AbsolutePath + "/model.onnx") >= 2);
        Assert.Equal(2, _mlflow.Calls.Count(call => call.Method == "GET" && call.Path == artifacts.AbsolutePath + "/model.onnx"));
        Assert.All(load.Answers, answer => Assert.Equal(HttpStatusCode.OK, answer.Status));
        Assert.Contains(app.Logs.Warnings, warning => warning.Contains("has SHA-256", StringComparison.Ordinal) && warning.Contains("downloaded again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_registry_that_fails_or_loses_the_alias_changes_nothing_and_is_counted()
    {
        _mlflow.RegisterModelVersion(Name, "2", Files(ShuffleNet));
        await using var app = App();
        using var client = await app.CreateReadyClientAsync();
        using var counters = new CounterRecorder(app.Services);
        await using var load = new SteadyLoad(client, workers: 1);

        _mlflow.FailEverythingWith = HttpStatusCode.ServiceUnavailable;
        await Eventually.WaitAsync(() => Refreshes(counters, ModelMetrics.Outcomes.RegistryUnreachable) >= 1, "the outage was not counted");
        await load.WaitForMoreAsync(5);
        _mlflow.FailEverythingWith = null;
        await _mlflow.DeleteAliasAsync(Name, Alias);
        await Eventually.WaitAsync(() => Refreshes(counters, ModelMetrics.Outcomes.RegistryRefused) >= 1, "the missing alias was not counted");
        await load.WaitForMoreAsync(5);
        await MoveAndWaitAsync(load, "2");
        await load.StopAsync();

        Assert.All(load.Answers, answer => Assert.Equal(HttpStatusCode.OK, answer.Status));
        Assert.All(load.Readiness, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Contains(app.Logs.Warnings, warning => warning.Contains("could not be resolved (registry_unreachable)", StringComparison.Ordinal)
            && warning.Contains("Version 1 keeps serving", StringComparison.Ordinal));
        Assert.Contains(app.Logs.Warnings, warning => warning.Contains("could not be resolved (registry_refused)", StringComparison.Ordinal)
            && warning.Contains("alias champion not found", StringComparison.Ordinal));
    }

    private async Task MoveAndWaitAsync(SteadyLoad load, string version)
    {
        var at = Stopwatch.GetTimestamp();
        await _mlflow.SetAliasAsync(Name, Alias, version);
        await load.WaitForAnswerAsync(at, answer => answer.Version == version, $"version {version} was never served");
    }

    private static bool OfVersion(string cachedPath, string version) =>
        Path.GetFileName(Path.GetDirectoryName(cachedPath)) == version;

    private IEnumerable<string> CachedModels() => Directory.EnumerateFiles(_cache, "model.onnx", SearchOption.AllDirectories);

    private FunctionApp App() => new(new Dictionary<string, string?>
    {
        ["MLFLOW_TRACKING_URI"] = _mlflow.BaseAddress.AbsoluteUri,
        ["MODEL_URI"] = $"models:/{Name}@{Alias}",
        ["MODEL_CACHE_DIR"] = _cache,
        ["MODEL_REFRESH_SECONDS"] = "1",
        ["MODEL_DOWNLOAD_TIMEOUT_SECONDS"] = "2",
        ["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] = "0",
    });

    private static long Refreshes(CounterRecorder counters, string outcome) =>
        counters.Total("imageclassifier.model.refresh", ("outcome", outcome));

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static Dictionary<string, byte[]> Files(byte[] onnx, string? labels = null)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal) { ["model.onnx"] = onnx };
        if (labels is not null)
        {
            files["labels.txt"] = Encoding.UTF8.GetBytes(labels);
        }

        return files;
    }
}
