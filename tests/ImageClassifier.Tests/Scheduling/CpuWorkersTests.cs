using ImageClassifier.Scheduling;
using ImageClassifier.Tests.Harness;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Tests.Scheduling;

/// <summary>
/// The CPU work threads: work runs on them, never more at once than there are threads, in
/// arrival order after any work queued ahead; the caller resumes on the thread pool, but a decode's
/// caller on the decode's thread so that its inference comes next; cancelled work does not run; a
/// failure reaches its caller and the thread goes on.
/// </summary>
public sealed class CpuWorkersTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly ManualResetEventSlim gate = new();

    public void Dispose() => gate.Dispose();

    [Fact]
    public async Task Work_runs_on_a_CPU_work_thread_and_its_caller_resumes_on_the_thread_pool()
    {
        using var workers = Workers(threads: 2);

        var ranOn = await workers.RunAsync(static _ => (Thread.CurrentThread.Name, Thread.CurrentThread.IsThreadPoolThread), 0, CancellationToken.None);

        Assert.Equal(("CPU work", false), ranOn);
        Assert.NotEqual("CPU work", Thread.CurrentThread.Name);
    }

    [Fact]
    public async Task No_more_work_runs_at_once_than_there_are_threads()
    {
        using var workers = Workers(threads: 2);
        var running = 0;
        var mostAtOnce = 0;
        var all = Enumerable.Range(0, 8).Select(index => workers.RunAsync(_ =>
        {
            InterlockedMax(ref mostAtOnce, Interlocked.Increment(ref running));
            gate.Wait(Patience);
            Interlocked.Decrement(ref running);
        }, index, CancellationToken.None)).ToList();

        await Eventually.WaitAsync(() => Volatile.Read(ref running) == 2, "Two items never ran at once.");
        gate.Set();
        await Task.WhenAll(all).WaitAsync(Patience);

        Assert.Equal(2, mostAtOnce);
    }

    [Fact]
    public async Task Work_starts_in_arrival_order()
    {
        using var workers = Workers(threads: 1);
        var started = new List<int>();
        var blocker = workers.RunAsync(_ => gate.Wait(Patience), 0, CancellationToken.None);
        var all = Enumerable.Range(1, 6).Select(index => workers.RunAsync(started.Add, index, CancellationToken.None)).ToList();

        gate.Set();
        await Task.WhenAll(all).WaitAsync(Patience);

        Assert.Equal([1, 2, 3, 4, 5, 6], started);
        Assert.True(blocker.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Work_queued_ahead_starts_before_work_that_arrived_earlier_and_in_its_own_arrival_order()
    {
        using var workers = Workers(threads: 1);
        var started = new List<int>();
        var blocker = workers.RunAsync(_ => gate.Wait(Patience), 0, CancellationToken.None);
        List<Task> all =
        [
            workers.RunAsync(started.Add, 1, CancellationToken.None),
            workers.RunAsync(started.Add, 2, CancellationToken.None),
            workers.RunAheadAsync(started.Add, 3, CancellationToken.None),
            workers.RunAsync(started.Add, 4, CancellationToken.None),
            workers.RunAheadAsync(started.Add, 5, CancellationToken.None),
        ];

        gate.Set();
        await Task.WhenAll(all).WaitAsync(Patience);

        Assert.Equal([3, 5, 1, 2, 4], started);
        Assert.True(blocker.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_thread_that_finished_a_decode_takes_the_inference_its_caller_queues_next_before_older_work()
    {
        using var workers = Workers(threads: 1);
        var started = new List<int>();
        var blocker = workers.RunAsync(_ => gate.Wait(Patience), 0, CancellationToken.None);
        var inference = DecodeThenInferAsync(workers, started);
        var older = workers.RunAsync(started.Add, 2, CancellationToken.None);

        gate.Set();
        await inference.WaitAsync(Patience);
        await older.WaitAsync(Patience);

        Assert.Equal([1, 3, 2], started);
        Assert.True(blocker.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task The_caller_of_a_decode_resumes_on_its_thread_and_the_caller_of_other_work_on_the_thread_pool()
    {
        using var workers = Workers(threads: 1);

        // Each caller is waiting before its work can finish, so it resumes where the work completes.
        var decode = ThreadResumedOnAsync(workers.RunThenAheadAsync(_ => gate.Wait(Patience), 0, CancellationToken.None));
        var other = ThreadResumedOnAsync(workers.RunAsync(_ => gate.Wait(Patience), 0, CancellationToken.None));
        gate.Set();

        Assert.Equal("CPU work", await decode.WaitAsync(Patience));
        Assert.NotEqual("CPU work", await other.WaitAsync(Patience));
    }

    [Fact]
    public async Task The_caller_of_a_failed_decode_resumes_on_the_thread_pool_and_the_thread_takes_the_next_work()
    {
        using var workers = Workers(threads: 1);

        var failed = workers.RunThenAheadAsync<int, int>(
            _ =>
            {
                gate.Wait(Patience);
                throw new InvalidOperationException("decode failed");
            },
            0,
            CancellationToken.None);
        var resumedOn = ThreadResumedOnAsync(failed);
        var next = workers.RunAsync(static value => value * 2, 21, CancellationToken.None);
        gate.Set();

        Assert.NotEqual("CPU work", await resumedOn.WaitAsync(Patience));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => failed);
        Assert.Equal("decode failed", error.Message);
        Assert.Equal(42, await next.WaitAsync(Patience));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Work_cancelled_while_it_waits_does_not_run_its_task_is_cancelled_and_its_caller_resumes_on_the_thread_pool(bool decode)
    {
        using var workers = Workers(threads: 1);
        var blocker = workers.RunAsync(_ => gate.Wait(Patience), 0, CancellationToken.None);
        using var cancellation = new CancellationTokenSource();
        var ran = false;
        var waiting = decode
            ? workers.RunThenAheadAsync(_ => ran = true, 0, cancellation.Token)
            : workers.RunAsync(_ => ran = true, 0, cancellation.Token);
        var resumedOn = ThreadResumedOnAsync(waiting);

        await cancellation.CancelAsync();
        gate.Set();

        Assert.NotEqual("CPU work", await resumedOn.WaitAsync(Patience));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.False(ran);
        Assert.True(blocker.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_caller_already_cancelled_queues_nothing()
    {
        using var workers = Workers(threads: 1);
        var ran = false;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => workers.RunAsync(_ => ran = true, 0, new CancellationToken(canceled: true)));
        await workers.RunAsync(static _ => 0, 0, CancellationToken.None).WaitAsync(Patience);

        Assert.False(ran);
    }

    [Fact]
    public async Task A_failure_reaches_its_caller_and_the_thread_takes_the_next_work()
    {
        using var workers = Workers(threads: 1);

        var failed = workers.RunAsync<int, int>(static _ => throw new InvalidOperationException("decode failed"), 0, CancellationToken.None);
        var next = workers.RunAsync(static value => value * 2, 21, CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => failed.WaitAsync(Patience));
        Assert.Equal("decode failed", error.Message);
        Assert.Equal(42, await next.WaitAsync(Patience));
    }

    [Fact]
    public async Task Disposing_finishes_the_work_already_queued_and_ends_the_threads()
    {
        var workers = Workers(threads: 1);
        var blocker = workers.RunAsync(_ => gate.Wait(Patience), 0, CancellationToken.None);
        var queued = workers.RunAsync(static value => value + 1, 1, CancellationToken.None);

        var disposing = Task.Run(workers.Dispose);
        gate.Set();
        await disposing.WaitAsync(Patience);

        Assert.True(blocker.IsCompletedSuccessfully);
        Assert.Equal(2, await queued);
        Assert.ThrowsAny<InvalidOperationException>(() => { _ = workers.RunAsync(static value => value, 0, CancellationToken.None); });
    }

    private static CpuWorkers Workers(int threads) => new(Options.Create(new CpuWorkOptions { Threads = threads }));

    /// <summary>What a request does: a decode (1), then, as soon as it resumes, its inference (3) queued ahead.</summary>
    private static async Task DecodeThenInferAsync(CpuWorkers workers, List<int> started)
    {
        // Not on the test framework's context, which would queue the continuation: as in ASP.NET Core, which has none.
        await workers.RunThenAheadAsync(started.Add, 1, CancellationToken.None).ConfigureAwait(false);
        await workers.RunAheadAsync(started.Add, 3, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>The name of the thread the caller of <paramref name="work"/> resumes on, with no context to return to.</summary>
    private static async Task<string?> ThreadResumedOnAsync(Task work)
    {
        await work.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return Thread.CurrentThread.Name;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }
}
