using System.Collections.Concurrent;
using CloudNative.CloudEvents;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Delivery;

/// <summary>
/// Answers a redelivered event with the reply it already got. Replies are kept in a MemoryCache
/// bounded by <see cref="DedupeOptions.CacheSize"/> entries (compacted, least recently used
/// first, when full) for <see cref="DedupeOptions.Ttl"/>; an event already being handled is
/// joined rather than run twice. Failures are not kept: a redelivery after one runs again.
/// </summary>
internal sealed class DuplicateCache : IDisposable
{
    private readonly MemoryCache replies;
    private readonly ConcurrentDictionary<EventKey, Task<CloudEvent>> inFlight = new();
    private readonly TimeSpan ttl;

    public DuplicateCache(IOptions<DedupeOptions> options, TimeProvider timeProvider)
    {
        ttl = options.Value.Ttl;
        replies = new MemoryCache(new MemoryCacheOptions
        {
            SizeLimit = options.Value.CacheSize,
            Clock = new TimeProviderClock(timeProvider),
        });
    }

    /// <summary>How many replies are kept now.</summary>
    public int Count => replies.Count;

    /// <summary>
    /// The reply of the event <paramref name="key"/> names: the kept one, the one being made, or a
    /// new one from <paramref name="reply"/>. <c>Duplicate</c> says it was not made for this call.
    /// </summary>
    public async Task<(CloudEvent Reply, bool Duplicate)> GetOrAddAsync(
        EventKey key, Func<CancellationToken, Task<CloudEvent>> reply, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (replies.TryGetValue(key, out CloudEvent? kept))
            {
                return (kept!, true);
            }

            var ours = new TaskCompletionSource<CloudEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
            var running = inFlight.GetOrAdd(key, ours.Task);
            if (running != ours.Task)
            {
                try
                {
                    return (await running.WaitAsync(cancellationToken), true);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // The caller that was making it went away; this one makes it instead.
                    continue;
                }
            }

            try
            {
                // Looked again: the run before ours may have finished between the two looks.
                var duplicate = replies.TryGetValue(key, out kept);
                var made = duplicate ? kept! : await reply(cancellationToken);
                if (!duplicate)
                {
                    replies.Set(key, made, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = ttl });
                }

                ours.SetResult(made);
                return (made, duplicate);
            }
            catch (OperationCanceledException e)
            {
                ours.SetCanceled(e.CancellationToken);
                throw;
            }
            catch (Exception e)
            {
                ours.SetException(e);
                // Observed here, so that a failure no one joined is not reported as unobserved.
                _ = ours.Task.Exception;
                throw;
            }
            finally
            {
                inFlight.TryRemove(new KeyValuePair<EventKey, Task<CloudEvent>>(key, ours.Task));
            }
        }
    }

    public void Dispose() => replies.Dispose();
}
