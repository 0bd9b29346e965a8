using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Scheduling;

/// <summary>
/// Runs the CPU-bound stages (decoding, resizing, inference) on threads of their own, one a core.
/// The thread pool is then left to the network: Kestrel's reads and writes, and the refusals of an
/// overloaded instance, never wait for a thread behind a decode, and the pool does not grow
/// threads to make up for the ones decoding. Admission bounds how much work waits. Work that
/// finishes a request already decoded (its inference) runs first, the rest in arrival order, so a
/// request once started is answered before new ones start and holds its tensor and body no longer
/// than it must. A thread that finishes a long decode whose inference follows waits for it briefly
/// (<see cref="FollowUpWait"/>) before taking a new decode: the caller's continuation queues the
/// inference from the thread pool, and needs the core this thread frees to do it.
/// </summary>
public sealed class CpuWorkers : IDisposable
{
    /// <summary>
    /// Long enough for the thread pool to queue the inference once a core is free (tens of
    /// microseconds), short against any decode; it is only spent in full when none comes.
    /// </summary>
    public static readonly TimeSpan DefaultFollowUpWait = TimeSpan.FromMilliseconds(2);

    /// <summary>
    /// Only work this long is waited after: the wait then costs a tenth of it at most, and after a
    /// short decode the inference would not wait long behind the next (on the 768x576 image,
    /// waiting after every decode served 6–10 % less).
    /// </summary>
    public static readonly TimeSpan DefaultWaitAfterWorkOf = 10 * DefaultFollowUpWait;

    private readonly ConcurrentQueue<WorkItem> ahead = new();
    private readonly ConcurrentQueue<WorkItem> queue = new();
    private readonly SemaphoreSlim waiting = new(0);
    private readonly object aheadQueued = new();
    private readonly Thread[] threads;
    private volatile bool disposed;

    public CpuWorkers(IOptions<CpuWorkOptions> options)
        : this(options, DefaultFollowUpWait, DefaultWaitAfterWorkOf)
    {
    }

    internal CpuWorkers(IOptions<CpuWorkOptions> options, TimeSpan followUpWait, TimeSpan waitAfterWorkOf)
    {
        FollowUpWait = followUpWait;
        WaitAfterWorkOf = waitAfterWorkOf;
        threads = new Thread[options.Value.Threads];
        for (var index = 0; index < threads.Length; index++)
        {
            threads[index] = new Thread(Work) { IsBackground = true, Name = "CPU work" };
            threads[index].Start();
        }
    }

    /// <summary>How long a thread waits for the work a finished item's caller queues ahead.</summary>
    public TimeSpan FollowUpWait { get; }

    /// <summary>How long work must have run for its thread to wait for the work its caller queues ahead.</summary>
    public TimeSpan WaitAfterWorkOf { get; }

    /// <summary>
    /// Runs <paramref name="work"/> on one of the threads; the caller's continuation runs on the
    /// thread pool, never on these threads. Work cancelled before it starts does not run, and its
    /// task is cancelled when its turn comes, not before: until then the work may still be taken
    /// up, and it writes into the caller's buffers, which the caller must not give back sooner.
    /// </summary>
    public Task<TResult> RunAsync<TState, TResult>(Func<TState, TResult> work, TState state, CancellationToken cancellationToken) =>
        Enqueue(queue, work, state, aheadFollows: false, cancellationToken);

    /// <summary>
    /// As <see cref="RunAsync{TState, TResult}"/>, for work whose caller queues work ahead as soon
    /// as it is done (a decode, then its inference): if it ran <see cref="WaitAfterWorkOf"/> or
    /// longer, the thread waits up to <see cref="FollowUpWait"/> for that before it takes other work.
    /// </summary>
    public Task<TResult> RunThenAheadAsync<TState, TResult>(Func<TState, TResult> work, TState state, CancellationToken cancellationToken) =>
        Enqueue(queue, work, state, aheadFollows: true, cancellationToken);

    /// <summary>
    /// As <see cref="RunAsync{TState, TResult}"/>, but ahead of all work queued there: for the short
    /// last stage of a request whose decode is done.
    /// </summary>
    public Task<TResult> RunAheadAsync<TState, TResult>(Func<TState, TResult> work, TState state, CancellationToken cancellationToken) =>
        Enqueue(ahead, work, state, aheadFollows: false, cancellationToken);

    /// <inheritdoc cref="RunAsync{TState, TResult}"/>
    public Task RunAsync<TState>(Action<TState> work, TState state, CancellationToken cancellationToken) =>
        RunAsync(Invoke, (work, state), cancellationToken);

    /// <inheritdoc cref="RunThenAheadAsync{TState, TResult}"/>
    public Task RunThenAheadAsync<TState>(Action<TState> work, TState state, CancellationToken cancellationToken) =>
        RunThenAheadAsync(Invoke, (work, state), cancellationToken);

    /// <inheritdoc cref="RunAheadAsync{TState, TResult}"/>
    public Task RunAheadAsync<TState>(Action<TState> work, TState state, CancellationToken cancellationToken) =>
        RunAheadAsync(Invoke, (work, state), cancellationToken);

    public void Dispose()
    {
        disposed = true;
        // Each thread takes what is queued, then one of these wake-ups with nothing left, and stops.
        waiting.Release(threads.Length);
        foreach (var thread in threads)
        {
            thread.Join();
        }

        waiting.Dispose();
    }

    private Task<TResult> Enqueue<TState, TResult>(
        ConcurrentQueue<WorkItem> to, Func<TState, TResult> work, TState state, bool aheadFollows, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<TResult>(cancellationToken);
        }

        var item = new WorkItem<TState, TResult>(work, state, aheadFollows, cancellationToken);
        to.Enqueue(item);
        waiting.Release();
        if (to == ahead)
        {
            lock (aheadQueued)
            {
                Monitor.PulseAll(aheadQueued);
            }
        }

        return item.Task;
    }

    /// <summary>An action's work as a function, for the overloads that take one.</summary>
    private static bool Invoke<TState>((Action<TState> Work, TState State) pending)
    {
        pending.Work(pending.State);
        return true;
    }

    private void Work()
    {
        while (true)
        {
            waiting.Wait();
            if (!ahead.TryDequeue(out var item) && !queue.TryDequeue(out item))
            {
                return;
            }

            var started = Stopwatch.GetTimestamp();
            if (item.Execute() && Stopwatch.GetElapsedTime(started) >= WaitAfterWorkOf)
            {
                AwaitFollowUp();
            }
        }
    }

    /// <summary>Blocks, leaving the core to the thread pool, until work is queued ahead or the wait is over.</summary>
    private void AwaitFollowUp()
    {
        lock (aheadQueued)
        {
            if (ahead.IsEmpty)
            {
                Monitor.Wait(aheadQueued, FollowUpWait);
            }
        }
    }

    private abstract class WorkItem
    {
        /// <summary>Runs the work; true when it succeeded and its caller will queue work ahead next.</summary>
        public abstract bool Execute();
    }

    private sealed class WorkItem<TState, TResult>(Func<TState, TResult> work, TState state, bool aheadFollows, CancellationToken cancellationToken) : WorkItem
    {
        private readonly TaskCompletionSource<TResult> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<TResult> Task => completion.Task;

        public override bool Execute()
        {
            if (cancellationToken.IsCancellationRequested)
            {
                completion.TrySetCanceled(cancellationToken);
                return false;
            }

            try
            {
                completion.TrySetResult(work(state));
                return aheadFollows;
            }
            catch (Exception exception)
            {
                completion.TrySetException(exception);
                return false;
            }
        }
    }
}
