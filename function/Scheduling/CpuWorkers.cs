using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Scheduling;

/// <summary>
/// Runs the CPU-bound stages (decoding, resizing, inference) on threads of their own, one a core.
/// The thread pool is then left to the network: Kestrel's reads and writes, and the refusals of an
/// overloaded instance, never wait for a thread behind a decode, and the pool does not grow
/// threads to make up for the ones decoding. Admission bounds how much work waits. Work that
/// finishes a request already decoded (its inference) runs first, the rest in arrival order, so a
/// request once started is answered before new ones start and holds its tensor and body no longer
/// than it must. The caller of a decode whose inference follows resumes on the decode's own
/// thread, which so finds the inference queued ahead when it looks for work: no hop through the
/// thread pool between the two, and the tensor is still in that core's cache when it is read.
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
        Enqueue(queue, work, state, resumeHere: false, cancellationToken);

    /// <summary>
    /// As <see cref="RunAsync{TState, TResult}"/>, for work whose caller queues work ahead as soon
    /// as it is done (a decode, then its inference): when it succeeds, the caller resumes on this
    /// thread until it next waits, so what it queues ahead is this thread's next work. It must
    /// only queue that: whatever it does before its next wait holds a CPU work thread. A failure or
    /// a cancellation resumes the caller on the thread pool, as other work does.
    /// </summary>
    public Task<TResult> RunThenAheadAsync<TState, TResult>(Func<TState, TResult> work, TState state, CancellationToken cancellationToken) =>
        Enqueue(queue, work, state, resumeHere: true, cancellationToken);

    /// <summary>
    /// As <see cref="RunAsync{TState, TResult}"/>, but ahead of all work queued there: for the short
    /// last stage of a request whose decode is done.
    /// </summary>
    public Task<TResult> RunAheadAsync<TState, TResult>(Func<TState, TResult> work, TState state, CancellationToken cancellationToken) =>
        Enqueue(ahead, work, state, resumeHere: false, cancellationToken);

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
        ConcurrentQueue<WorkItem> to, Func<TState, TResult> work, TState state, bool resumeHere, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<TResult>(cancellationToken);
        }

        var item = new WorkItem<TState, TResult>(work, state, resumeHere, cancellationToken);
        to.Enqueue(item);
        waiting.Release();
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

            item.Execute();
        }
    }

    private abstract class WorkItem
    {
        public abstract void Execute();
    }

    private sealed class WorkItem<TState, TResult>(Func<TState, TResult> work, TState state, bool resumeHere, CancellationToken cancellationToken) : WorkItem
    {
        // Continuations run inline only for work whose caller resumes here, and only on success (see Fail).
        private readonly TaskCompletionSource<TResult> completion =
            new(resumeHere ? TaskCreationOptions.None : TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<TResult> Task => completion.Task;

        public override void Execute()
        {
            if (cancellationToken.IsCancellationRequested)
            {
                Fail(item => item.completion.TrySetCanceled(cancellationToken));
                return;
            }

            TResult result;
            try
            {
                result = work(state);
            }
            catch (Exception exception)
            {
                Fail(item => item.completion.TrySetException(exception));
                return;
            }

            completion.TrySetResult(result);
        }

        /// <summary>A caller that would resume here gets its failure on the thread pool: answering it is no CPU work.</summary>
        private void Fail(Action<WorkItem<TState, TResult>> complete)
        {
            if (resumeHere)
            {
                ThreadPool.UnsafeQueueUserWorkItem(complete, this, preferLocal: false);
            }
            else
            {
                complete(this);
            }
        }
    }
}
