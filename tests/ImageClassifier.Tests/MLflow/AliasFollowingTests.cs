using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using ImageClassifier.Inference;
using ImageClassifier.Tests.Harness;
using ImageClassifier.Tests.Inference;

namespace ImageClassifier.Tests.MLflow;

/// <summary>
/// The function follows <c>models:/classifier@champion</c> on the MLflow stand-in while steady
/// traffic runs, as a data scientist moves the alias with <c>set_registered_model_alias</c>:
/// MobileNet v2 as version 1, ShuffleNet v2 as version 2 (their SHA-256 tells them apart in the
/// replies) and a version 3 that is not a model at all.
/// </summary>
public sealed class AliasFollowingTests : IAsyncLifetime
{
    private const string Name = "classifier";
    private const string Alias = "champion";
    private const string Corrupt = "3";

    private static readonly byte[] MobileNet = File.ReadAllBytes(SharedModels.MobileNet);
    private static readonly byte[] ShuffleNet = File.ReadAllBytes(SharedModels.ShuffleNet);
    private static readonly Dictionary<string, string> Sha256s = new(StringComparer.Ordinal)
    {
        ["1"] = Convert.ToHexStringLower(SHA256.HashData(MobileNet)),
        ["2"] = Convert.ToHexStringLower(SHA256.HashData(ShuffleNet)),
    };

    private readonly string _cache = Directory.CreateTempSubdirectory("ic-follow-").FullName;
    private MLflowStandIn _mlflow = null!;

    public async Task InitializeAsync()
    {
        _mlflow = await MLflowStandIn.StartAsync();
        _mlflow.RegisterModelVersion(Name, "1", new Dictionary<string, byte[]> { ["model.onnx"] = MobileNet }, Alias);
        _mlflow.RegisterModelVersion(Name, "2", new Dictionary<string, byte[]> { ["model.onnx"] = ShuffleNet });
        _mlflow.RegisterModelVersion(Name, Corrupt, new Dictionary<string, byte[]> { ["model.onnx"] = BrokenModels.Truncated(MobileNet) });
    }

    public async Task DisposeAsync()
    {
        await _mlflow.DisposeAsync();
        Directory.Delete(_cache, recursive: true);
    }

    [Fact]
    public async Task Under_steady_load_each_move_of_the_alias_is_served_and_every_request_runs_on_one_model()
    {
        await using var app = App();
        using var client = await app.CreateReadyClientAsync();
        using var counters = new CounterRecorder(app.Services);
        await using var load = new SteadyLoad(client, workers: 3);
        await load.WaitForMoreAsync(5);

        var moves = new List<(string Version, long At)>();
        foreach (var version in new[] { "2", Corrupt, "1", "2" })
        {
            var at = Stopwatch.GetTimestamp();
            await _mlflow.SetAliasAsync(Name, Alias, version);
            moves.Add((version, at));
            if (version == Corrupt)
            {
                await Eventually.WaitAsync(() => Refreshes(counters, ModelMetrics.Outcomes.InvalidModel) == 1, "the corrupt version was not refused");
            }
            else
            {
                await load.WaitForAnswerAsync(at, answer => answer.Version == version, $"version {version} was never served");
            }

            await load.WaitForMoreAsync(10);
        }

        await load.StopAsync();
        var answers = load.Answers;

        Assert.All(answers, answer => Assert.True(answer.Status == HttpStatusCode.OK, $"{answer.EventId}: {(int)answer.Status} {answer.Body}"));
        Assert.NotEmpty(load.Readiness);
        Assert.All(load.Readiness, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.All(answers, answer => Assert.Equal(Sha256s[answer.Version!], answer.Sha256));
        Assert.DoesNotContain(answers, answer => answer.Version == Corrupt);

        // Between a move and the next, once the new version has answered, no request that begins gets the old one.
        var serving = "1";
        for (var move = 0; move < moves.Count; move++)
        {
            var (version, at) = moves[move];
            var until = move + 1 < moves.Count ? moves[move + 1].At : long.MaxValue;
            var from = at;
            if (version != Corrupt)
            {
                serving = version;
                from = answers.Where(answer => answer.Version == version && answer.Ended > at).Min(answer => answer.Ended);
            }

            var begun = answers.Where(answer => answer.Started > from && answer.Started < until).ToList();
            Assert.NotEmpty(begun);
            Assert.All(begun, answer => Assert.Equal(serving, answer.Version));
        }

        // Each move is acted on by the first question that sees it: the very next registry call
        // fetches that version, so a valid one is served within MODEL_REFRESH_SECONDS plus the load.
        var registry = _mlflow.Calls
            .Where(call => call.Method == "GET" && (call.Path.EndsWith("/registered-models/alias", StringComparison.Ordinal)
                || call.Path.EndsWith("/model-versions/get", StringComparison.Ordinal)))
            .ToList();
        var changes = new List<string>();
        var alias = "1";
        for (var call = 0; call < registry.Count; call++)
        {
            if (AnsweredVersion(registry[call]) is { } version && version != alias)
            {
                alias = version;
                changes.Add(version);
                Assert.True(call + 1 < registry.Count, $"version {version} was seen and never fetched");
                Assert.Equal($"GET /api/2.0/mlflow/model-versions/get?name={Name}&version={version} → 200", registry[call + 1].ToString());
            }
        }

        Assert.Equal(moves.Select(move => move.Version), changes);

        var swaps = app.Logs.Of("ImageClassifier.Inference.ModelRefresher")
            .Where(entry => entry.Message.Contains("serves from now on", StringComparison.Ordinal));
        Assert.Equal(["2", "1", "2"], swaps.Select(entry => entry.Values["Version"]));

        Assert.Equal(3, Refreshes(counters, ModelMetrics.Outcomes.Swapped));
        Assert.Equal(1, Refreshes(counters, ModelMetrics.Outcomes.InvalidModel));
        await Eventually.WaitAsync(() => Observe(counters, "imageclassifier.model.sessions").Single().Value == 1, "the last swapped-out session stayed open");
    }

    [Fact]
    public async Task MLflow_records_which_version_made_each_prediction_and_the_metadata_and_gauge_follow_the_swap()
    {
        await using var app = App();
        using var client = await app.CreateReadyClientAsync();
        using var counters = new CounterRecorder(app.Services);
        await using var load = new SteadyLoad(client, workers: 2);
        await load.WaitForMoreAsync(5);
        var at = Stopwatch.GetTimestamp();
        await _mlflow.SetAliasAsync(Name, Alias, "2");
        await load.WaitForAnswerAsync(at, answer => answer.Version == "2", "version 2 was never served");
        await load.WaitForMoreAsync(5);
        await load.StopAsync();
        var answers = load.Answers.ToDictionary(answer => answer.EventId);

        await Eventually.WaitAsync(() => counters.Logged == answers.Count, "not every prediction was logged to MLflow");
        var runs = _mlflow.Runs();
        Assert.Equal(answers.Count, runs.Count);
        Assert.All(runs, run =>
        {
            var answer = answers[run.Params["cloudevent_id"]];
            Assert.Equal(answer.Version, run.Tags["model_version"]);
            Assert.Equal(answer.Sha256, run.Params["model_sha256"]);
            Assert.Equal(Name, run.Params["model_name"]);
        });
        Assert.Contains(runs, run => run.Tags["model_version"] == "1");
        Assert.Contains(runs, run => run.Tags["model_version"] == "2");

        using var metadata = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/v2/models/{Name}", UriKind.Relative)));
        Assert.Equal(["2"], metadata.RootElement.GetProperty("versions").EnumerateArray().Select(version => version.GetString()));
        using var old = await client.GetAsync(new Uri($"/v2/models/{Name}/versions/1", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
        var info = Assert.Single(Observe(counters, "imageclassifier.model.info"));
        Assert.Equal("2", info.Tags["version"]);
        Assert.Equal(Sha256s["2"], info.Tags["sha256"]);
    }

    private FunctionApp App() => new(new Dictionary<string, string?>
    {
        ["MLFLOW_TRACKING_URI"] = _mlflow.BaseAddress.AbsoluteUri,
        ["MODEL_URI"] = $"models:/{Name}@{Alias}",
        ["MODEL_CACHE_DIR"] = _cache,
        ["MODEL_REFRESH_SECONDS"] = "1",
        ["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] = "0",
    });

    /// <summary>The version a registered-models/alias question was answered with.</summary>
    private static string? AnsweredVersion(RecordedCall call) =>
        call.Path.EndsWith("/registered-models/alias", StringComparison.Ordinal) && call.Answer is { } answer
            ? JsonDocument.Parse(answer).RootElement.GetProperty("model_version").GetProperty("version").GetString()
            : null;

    private static long Refreshes(CounterRecorder counters, string outcome) =>
        counters.Total("imageclassifier.model.refresh", ("outcome", outcome));

    private static IReadOnlyList<(IReadOnlyDictionary<string, object?> Tags, long Value)> Observe(CounterRecorder counters, string instrument) =>
        counters.Observe(instrument);
}
