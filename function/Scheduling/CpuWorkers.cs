using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Scheduling;

/// <summary>
/// Runs the CPU-bound stages (decoding, resizing, inference) on threads of their own, one a core,
/// in arrival order. The thread pool is then left to the network: Kestrel's reads and writes, and
/// the refusals of an overloaded instance, never wait for a thread behind a decode, and the pool
/// does not grow threads to make up for the ones decoding. Admission bounds how much work waits.
/// </summary>
public sealed class CpuWorkers : IDisposable
{
    private readonly BlockingCollection<WorkItem> queue = [];
    private readonly Thread[] threads;

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
    public Task<TResult> RunAsync<TState, TResult>(Func<TState, TResult> work, TState state, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<TResult>(cancellationToken);
        }

        var item = new WorkItem<TState, TResult>(work, state, cancellationToken);
        queue.Add(item, CancellationToken.None);
        return item.Task;
    }

    /// <inheritdoc cref="RunAsync{TState, TResult}"/>
    public Task RunAsync<TState>(Action<TState> work, TState state, CancellationToken cancellationToken) =>
        RunAsync(static pending => { pending.Work(pending.State); return true; }, (Work: work, State: state), cancellationToken);

    public void Dispose()
    {
        queue.CompleteAdding();
        foreach (var thread in threads)
        {
            thread.Join();
        }

        queue.Dispose();
    }

    private void Work()
    {
        foreach (var item in queue.GetConsumingEnumerable())
        {
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
