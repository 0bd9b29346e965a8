using CloudNative.CloudEvents;
using ImageClassifier.Delivery;
using ImageClassifier.Failures;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ImageClassifier.Tests.Delivery;

public sealed class DuplicateCacheTests : IDisposable
{
    private static readonly EventKey Key = new("/tests", "event-1");

    private readonly FakeTimeProvider time = new();
    private readonly DuplicateCache cache;
    private int runs;

    public DuplicateCacheTests() => cache = new DuplicateCache(Options.Create(new DedupeOptions { CacheSize = 2, TtlSeconds = 60 }), time);

    public void Dispose() => cache.Dispose();

    [Fact]
    public async Task A_second_call_for_the_same_event_gets_the_same_reply_without_running()
    {
        var (first, firstDuplicate) = await cache.GetOrAddAsync(Key, MakeAsync, CancellationToken.None);
        var (second, secondDuplicate) = await cache.GetOrAddAsync(Key, MakeAsync, CancellationToken.None);

        Assert.Same(first, second);
        Assert.False(firstDuplicate);
        Assert.True(secondDuplicate);
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task The_same_id_from_another_source_is_another_event()
    {
        await cache.GetOrAddAsync(Key, MakeAsync, CancellationToken.None);
        await cache.GetOrAddAsync(Key with { Source = "/elsewhere" }, MakeAsync, CancellationToken.None);

        Assert.Equal(2, runs);
    }

    [Fact]
    public async Task A_duplicate_arriving_while_the_first_runs_joins_it()
    {
        var release = new TaskCompletionSource<CloudEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = cache.GetOrAddAsync(Key, _ => { runs++; return release.Task; }, CancellationToken.None);
        var second = cache.GetOrAddAsync(Key, MakeAsync, CancellationToken.None);
        Assert.False(second.IsCompleted);

        var reply = NewReply();
        release.SetResult(reply);

        Assert.Same(reply, (await first).Reply);
        Assert.Equal((reply, true), await second);
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task A_failure_is_not_kept_so_a_redelivery_runs_again()
    {
        var failure = Problems.UpstreamFailed.Failure("The image host answered 503.");
        await Assert.ThrowsAsync<ClassificationException>(() => cache.GetOrAddAsync(Key, _ => throw failure, CancellationToken.None));

        await cache.GetOrAddAsync(Key, MakeAsync, CancellationToken.None);

        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task A_duplicate_whose_first_caller_went_away_runs_itself()
    {
        using var gone = new CancellationTokenSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = cache.GetOrAddAsync(Key, async token => { started.SetResult(); await Task.Delay(Timeout.Infinite, token); return NewReply(); }, gone.Token);
        await started.Task;
        var second = cache.GetOrAddAsync(Key, MakeAsync, CancellationToken.None);

        await gone.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.False((await second).Duplicate);
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task A_reply_is_forgotten_after_DEDUPE_TTL_SECONDS()
    {
        await cache.GetOrAddAsync(Key, MakeAsync, CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(61));
        var (_, duplicate) = await cache.GetOrAddAsync(Key, MakeAsync, CancellationToken.None);

        Assert.False(duplicate);
        Assert.Equal(2, runs);
    }

    [Fact]
    public async Task The_cache_never_holds_more_than_DEDUPE_CACHE_SIZE_replies()
    {
        for (var i = 0; i < 10; i++)
        {
            await cache.GetOrAddAsync(Key with { Id = $"event-{i}" }, MakeAsync, CancellationToken.None);
            Assert.InRange(cache.Count, 1, 2);
        }
    }

    private Task<CloudEvent> MakeAsync(CancellationToken cancellationToken)
    {
        runs++;
        return Task.FromResult(NewReply());
    }

    private static CloudEvent NewReply() => new() { Id = Guid.NewGuid().ToString(), Source = new Uri("/reply", UriKind.Relative), Type = "t.reply" };
}
