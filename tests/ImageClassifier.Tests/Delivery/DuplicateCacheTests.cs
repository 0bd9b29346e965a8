using CloudNative.CloudEvents;
using ImageClassifier.Delivery;
using ImageClassifier.Failures;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ImageClassifier.Tests.Delivery;

public sealed class DuplicateCacheTests : IDisposable
{
    private static readonly EventKey Key = new("/tests", "event-1");

    private static readonly RequestDigest Cat = RequestDigest.Of(new ClassificationRequest(new Uri("https://example.com/cat.jpg"), null, 5));

    private static readonly RequestDigest Dog = RequestDigest.Of(new ClassificationRequest(new Uri("https://example.com/dog.jpg"), null, 5));

    private readonly FakeTimeProvider time = new();
    private readonly DuplicateCache cache;
    private int runs;

    public DuplicateCacheTests() => cache = new DuplicateCache(Options.Create(new DedupeOptions { CacheSize = 2, CacheBytes = 1024 * 1024, TtlSeconds = 60 }), time);

    public void Dispose() => cache.Dispose();

    [Fact]
    public async Task A_second_call_for_the_same_event_gets_the_same_reply_without_running()
    {
        var (first, firstSource) = await cache.GetOrAddAsync(Key, Cat, MakeAsync, CancellationToken.None);
        var (second, secondSource) = await cache.GetOrAddAsync(Key, Cat, MakeAsync, CancellationToken.None);

        Assert.Same(first, second);
        Assert.Equal(DuplicateCache.Source.New, firstSource);
        Assert.Equal(DuplicateCache.Source.Duplicate, secondSource);
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task The_same_id_from_another_source_is_another_event()
    {
        await cache.GetOrAddAsync(Key, Cat, MakeAsync, CancellationToken.None);
        await cache.GetOrAddAsync(Key with { Source = "/elsewhere" }, Cat, MakeAsync, CancellationToken.None);

        Assert.Equal(2, runs);
    }

    [Fact]
    public async Task A_duplicate_arriving_while_the_first_runs_joins_it()
    {
        var release = new TaskCompletionSource<CloudEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = cache.GetOrAddAsync(Key, Cat, _ => { runs++; return release.Task; }, CancellationToken.None);
        var second = cache.GetOrAddAsync(Key, Cat, MakeAsync, CancellationToken.None);
        Assert.False(second.IsCompleted);

        var reply = NewReply();
        release.SetResult(reply);

        Assert.Same(reply, (await first).Reply);
        Assert.Equal((reply, DuplicateCache.Source.Duplicate), await second);
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task A_failure_is_not_kept_so_a_redelivery_runs_again()
    {
        var failure = Problems.UpstreamFailed.Failure("The image host answered 503.");
        await Assert.ThrowsAsync<ClassificationException>(() => cache.GetOrAddAsync(Key, Cat, _ => throw failure, CancellationToken.None));

        await cache.GetOrAddAsync(Key, Cat, MakeAsync, CancellationToken.None);

        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task A_duplicate_whose_first_caller_went_away_runs_itself()
    {
        using var gone = new CancellationTokenSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = cache.GetOrAddAsync(Key, Cat, async token => { started.SetResult(); await Task.Delay(Timeout.Infinite, token); return NewReply(); }, gone.Token);
        await started.Task;
        var second = cache.GetOrAddAsync(Key, Cat, MakeAsync, CancellationToken.None);

        await gone.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.Equal(DuplicateCache.Source.New, (await second).Source);
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task A_reply_is_forgotten_after_DEDUPE_TTL_SECONDS()
    {
        await cache.GetOrAddAsync(Key, Cat, MakeAsync, CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(61));
        var (_, source) = await cache.GetOrAddAsync(Key, Cat, MakeAsync, CancellationToken.None);

        Assert.Equal(DuplicateCache.Source.New, source);
        Assert.Equal(2, runs);
    }

    [Fact]
    public async Task The_cache_never_holds_more_than_DEDUPE_CACHE_SIZE_replies()
    {
        for (var i = 0; i < 10; i++)
        {
            await cache.GetOrAddAsync(Key with { Id = $"event-{i}" }, Cat, MakeAsync, CancellationToken.None);
            Assert.InRange(cache.Count, 1, 2);
        }
    }

    [Fact]
    public async Task Another_request_under_a_known_identity_is_run_anew_and_never_given_the_kept_reply()
    {
        var (catReply, _) = await cache.GetOrAddAsync(Key, Cat, MakeAsync, CancellationToken.None);

        var (dogReply, source) = await cache.GetOrAddAsync(Key, Dog, MakeAsync, CancellationToken.None);
        var (catAgain, catSource) = await cache.GetOrAddAsync(Key, Cat, MakeAsync, CancellationToken.None);

        Assert.Equal(DuplicateCache.Source.Conflict, source);
        Assert.NotSame(catReply, dogReply);
        Assert.Same(catReply, catAgain);
        Assert.Equal(DuplicateCache.Source.Duplicate, catSource);
        Assert.Equal(2, runs);
    }

    [Fact]
    public async Task Another_request_under_an_identity_in_flight_does_not_join_it()
    {
        var release = new TaskCompletionSource<CloudEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = cache.GetOrAddAsync(Key, Cat, _ => { runs++; return release.Task; }, CancellationToken.None);

        var (dogReply, source) = await cache.GetOrAddAsync(Key, Dog, MakeAsync, CancellationToken.None);
        release.SetResult(NewReply());

        Assert.Equal(DuplicateCache.Source.Conflict, source);
        Assert.NotSame((await first).Reply, dogReply);
        Assert.Equal(2, runs);
    }

    [Fact]
    public void The_same_url_with_another_top_k_asks_for_something_else()
    {
        var topThree = RequestDigest.Of(new ClassificationRequest(new Uri("https://example.com/cat.jpg"), null, 3));

        Assert.NotEqual(Cat, topThree);
        Assert.Equal(Cat, RequestDigest.Of(new ClassificationRequest(new Uri("https://example.com/cat.jpg"), null, 5, "another-id")));
        Assert.NotEqual(
            RequestDigest.Of(new ClassificationRequest(null, new byte[] { 1, 2, 3 }, null)),
            RequestDigest.Of(new ClassificationRequest(null, new byte[] { 1, 2, 4 }, null)));
    }

    [Fact]
    public async Task The_cache_never_holds_more_than_DEDUPE_CACHE_BYTES_of_replies()
    {
        using var small = new DuplicateCache(Options.Create(new DedupeOptions { CacheSize = 1000, CacheBytes = 1024 * 1024, TtlSeconds = 60 }), time);
        var longSource = new string('s', 2048);

        for (var i = 0; i < 200; i++)
        {
            // Each entry holds about 9 KB (two 2 KiB strings in UTF-16, and the rest): at most about 110 fit.
            await small.GetOrAddAsync(new EventKey(longSource, new string('i', 2040) + i), Cat, MakeAsync, CancellationToken.None);
            Assert.InRange(small.Count, 1, 1024 * 1024 / 9000);
        }
    }

    private Task<CloudEvent> MakeAsync(CancellationToken cancellationToken)
    {
        runs++;
        return Task.FromResult(NewReply());
    }

    private static CloudEvent NewReply() => new() { Id = Guid.NewGuid().ToString(), Source = new Uri("/reply", UriKind.Relative), Type = "t.reply" };
}
