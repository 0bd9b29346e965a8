using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Scheduling;

/// <summary>
/// Runs the CPU-bound stages (decoding, resizing, inference) on threads of their own, one a core:
/// work that finishes a request already decoded (its inference) first, then the rest in arrival
/// order, so that a request once started is answered before new ones start and its tensor and
/// body are held no longer than they must be. The thread pool is then left to the network:
/// Kestrel's reads and writes, and the refusals of an overloaded instance, never wait for a thread
/// behind a decode, and the pool does not grow threads to make up for the ones decoding.
/// Admission bounds how much work waits.
/// </summary>
public sealed class CpuWorkers : IDisposable
{
    private readonly ConcurrentQueue<WorkItem> ahead = new();
    private readonly ConcurrentQueue<WorkItem> queue = new();
    private readonly SemaphoreSlim waiting = new(0);
    private readonly Thread[] threads;
    private volatile bool disposed;

    public CpuWorkers(IOptions<CpuWorkOptions> options)
    {
        threads = new Thread[options.Value.Threads];
        for (var index = 0; index < threads.Length; index++)
        {
            threads[index] = new Thread(Work) { IsBackground = true, Name = "CPU work" };
            threads[index].Start();
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on one of the threads; the caller's continuation runs on the
    /// thread pool, never on these threads. Work cancelled before it starts does not run, and its
    /// task is cancelled when its turn comes, not before: until then the work may still be taken
    /// up, and it writes into the caller's buffers, which the caller must not give back sooner.
    /// </summary>
    public Task<TResult> RunAsync<TState, TResult>(Func<TState, TResult> work, TState state, CancellationToken cancellationToken) =>
        Enqueue(queue, work, state, cancellationToken);

    /// <summary>
    /// As <see cref="RunAsync{TState, TResult}"/>, but ahead of all work queued there: for the short
    /// last stage of a request whose decode is done.
    /// </summary>
    public Task<TResult> RunAheadAsync<TState, TResult>(Func<TState, TResult> work, TState state, CancellationToken cancellationToken) =>
        Enqueue(ahead, work, state, cancellationToken);

    /// <inheritdoc cref="RunAsync{TState, TResult}"/>
    public Task RunAsync<TState>(Action<TState> work, TState state, CancellationToken cancellationToken) =>
        RunAsync(static pending => { pending.Work(pending.State); return true; }, (Work: work, State: state), cancellationToken);

    /// <inheritdoc cref="RunAheadAsync{TState, TResult}"/>
    public Task RunAheadAsync<TState>(Action<TState> work, TState state, CancellationToken cancellationToken) =>
        RunAheadAsync(static pending => { pending.Work(pending.State); return true; }, (Work: work, State: state), cancellationToken);

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

    private Task<TResult> Enqueue<TState, TResult>(ConcurrentQueue<WorkItem> to, Func<TState, TResult> work, TState state, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<TResult>(cancellationToken);
        }

        var item = new WorkItem<TState, TResult>(work, state, cancellationToken);
        to.Enqueue(item);
        waiting.Release();
        return item.Task;
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

            item.Execute();
        }
    }

    private abstract class WorkItem
    {
        public abstract void Execute();
    }

    private sealed class WorkItem<TState, TResult>(Func<TState, TResult> work, TState state, CancellationToken cancellationToken) : WorkItem
    {
        private readonly TaskCompletionSource<TResult> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<TResult> Task => completion.Task;

        public override void Execute()
        {
            if (cancellationToken.IsCancellationRequested)
            {
                completion.TrySetCanceled(cancellationToken);
                return;
            }

            try
            {
                completion.TrySetResult(work(state));
            }
            catch (Exception exception)
            {
                completion.TrySetException(exception);
            }
        }
    }
}
