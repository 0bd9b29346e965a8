using ImageClassifier.Inference;

namespace ImageClassifier.Tests.Inference;

/// <summary>
/// How the refresher follows an alias, on a clock the test moves: a new version is swapped in at
/// the next question; a version that fails is tried again with backoff, never at every question; a
/// registry that cannot be reached is asked less and less often, and changes nothing else.
/// </summary>
public sealed class ModelRefresherTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_moved_alias_is_swapped_in_at_the_next_question_and_a_version_that_cannot_move_is_never_asked()
    {
        var source = new ScriptedSource().With("1", SharedModels.MobileNet).With("2", SharedModels.ShuffleNet);
        await using var host = await RefresherHost.StartAsync(source);
        await host.WaitUntilFollowingAsync();
        Assert.Equal("1", host.Classifier.Model.Version);

        source.Current = "2";
        Assert.Equal(Interval, await host.NextQuestionAsync());

        Assert.Equal("2", host.Classifier.Model.Version);
        Assert.Equal(1, host.Refreshes(ModelMetrics.Outcomes.Swapped));
        Assert.Equal(["2"], source.Fetches.Select(fetch => fetch.Version));
        await Harness.Eventually.WaitAsync(() => host.Classifier.OpenSessions == 1, "the old session was not closed");

        Assert.Equal(Interval, await host.NextQuestionAsync());
        Assert.Single(source.Fetches);
    }

    [Fact]
    public async Task A_version_that_fails_is_tried_again_with_backoff_and_the_current_model_keeps_serving()
    {
        // Delivered with a SHA-256 that is not the file's: what a file changed after its download looks like.
        var source = new ScriptedSource().With("1", SharedModels.MobileNet).With("2", SharedModels.ShuffleNet, sha256: new string('0', 64));
        await using var host = await RefresherHost.StartAsync(source);
        await host.WaitUntilFollowingAsync();
        var start = host.Clock.GetUtcNow();
        source.Current = "2";

        for (var question = 0; question < 15; question++)
        {
            Assert.Equal(Interval, await host.NextQuestionAsync());
        }

        // Asked every second, fetched after 1 s, then 2, 4 and 8 s more: at 1, 3, 7 and 15 s.
        Assert.Equal([1, 3, 7, 15], source.Fetches.Select(fetch => (fetch.At - start).TotalSeconds));
        Assert.Equal(4, host.Refreshes(ModelMetrics.Outcomes.HashMismatch));
        Assert.Equal(0, host.Refreshes(ModelMetrics.Outcomes.Swapped));
        Assert.Equal("1", host.Classifier.Model.Version);
        Assert.Contains(host.Logs.Warnings, warning => warning.Contains("Version 2 of TEST_MODEL_URI is not served (hash_mismatch, attempt 4)", StringComparison.Ordinal));
        await Harness.Eventually.WaitAsync(() => host.Classifier.OpenSessions == 1, "a refused candidate's session was left open");
    }

    [Fact]
    public async Task A_registry_outage_doubles_the_wait_changes_nothing_else_and_is_counted()
    {
        var source = new ScriptedSource().With("1", SharedModels.MobileNet).With("2", SharedModels.ShuffleNet);
        await using var host = await RefresherHost.StartAsync(source);
        await host.WaitUntilFollowingAsync();
        source.Down = true;

        var waits = new List<double>();
        for (var question = 0; question < 5; question++)
        {
            waits.Add((await host.NextQuestionAsync()).TotalSeconds);
        }

        Assert.Equal([2, 4, 8, 16, 32], waits);
        Assert.Equal(5, host.Refreshes(ModelMetrics.Outcomes.RegistryUnreachable));
        Assert.Equal("1", host.Classifier.Model.Version);
        Assert.True(host.Classifier.IsReady);

        source.Down = false;
        source.Current = "2";
        Assert.Equal(Interval, await host.NextQuestionAsync());
        Assert.Equal("2", host.Classifier.Model.Version);
    }

    [Fact]
    public async Task With_MODEL_REFRESH_SECONDS_0_the_alias_is_resolved_once()
    {
        var source = new ScriptedSource().With("1", SharedModels.MobileNet);
        await using var host = await RefresherHost.StartAsync(source, refreshSeconds: 0);

        await Harness.Eventually.WaitAsync(
            () => host.Logs.Entries.Any(entry => entry.Message.Contains("MODEL_REFRESH_SECONDS is 0", StringComparison.Ordinal)),
            "the refresher did not say it does not follow the alias");

        Assert.Equal(0, host.Clock.Timers);
        Assert.Equal(0, source.Questions);
    }
}
