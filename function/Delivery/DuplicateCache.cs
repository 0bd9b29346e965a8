using System.Collections.Concurrent;
using CloudNative.CloudEvents;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Delivery;

/// <summary>
/// Answers a redelivered event with the reply it already got. Replies are kept, for
/// <see cref="DedupeOptions.Ttl"/>, under the event's identity (source and id) with a digest of
/// what it asked for, in a MemoryCache bounded by <see cref="DedupeOptions.CacheSize"/> entries and
/// <see cref="DedupeOptions.CacheBytes"/> bytes (compacted, least recently used first, when full);
/// an event already being handled is joined rather than run twice. A request that reuses a known
/// identity to ask for something else is a conflict: it runs as new and is never answered from (or
/// kept in) the cache, so no caller can read or poison another's reply. Failures are not kept.
/// </summary>
internal sealed class DuplicateCache : IDisposable
{
    /// <summary>What an entry costs beside its strings: the reply event, its data and the cache's own bookkeeping.</summary>
    private const int EntryOverheadBytes = 768;

    /// <summary>What one prediction of a reply costs beside its label.</summary>
    private const int PredictionOverheadBytes = 64;

    private readonly MemoryCache replies;
    private readonly ConcurrentDictionary<EventKey, InFlight> inFlight = new();
    private readonly TimeSpan ttl;
    private readonly long smallestEntry;

    public DuplicateCache(IOptions<DedupeOptions> options, TimeProvider timeProvider)
    {
        ttl = options.Value.Ttl;
        // Sizes are bytes; no entry counts for less than its share of the entry limit, which so holds too.
        smallestEntry = Math.Max(1, options.Value.CacheBytes / options.Value.CacheSize);
        replies = new MemoryCache(new MemoryCacheOptions
        {
            SizeLimit = options.Value.CacheBytes,
            Clock = new TimeProviderClock(timeProvider),
        });
    }

    /// <summary>How a reply came to be.</summary>
    public enum Source
    {
        /// <summary>Made for this call.</summary>
        New,

        /// <summary>The one kept, or being made, for the same event asking for the same.</summary>
        Duplicate,

        /// <summary>Made for this call, because the event's identity was known with another request.</summary>
        Conflict,
    }

    /// <summary>How many replies are kept now.</summary>
    public int Count => replies.Count;

    /// <summary>
    /// The reply of the event <paramref name="key"/> names asking for <paramref name="digest"/>: the
    /// kept one, the one being made, or a new one from <paramref name="reply"/>.
    /// </summary>
    public async Task<(CloudEvent Reply, Source Source)> GetOrAddAsync(
        EventKey key, RequestDigest digest, Func<CancellationToken, Task<CloudEvent>> reply, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (replies.TryGetValue(key, out Kept? kept))
            {
                return kept!.Digest == digest ? (kept.Reply, Source.Duplicate) : (await reply(cancellationToken), Source.Conflict);
            }

            var ours = new TaskCompletionSource<CloudEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
            var candidate = new InFlight(digest, ours.Task);
            var running = inFlight.GetOrAdd(key, candidate);
            if (running != candidate)
            {
                if (running.Digest != digest)
                {
                    return (await reply(cancellationToken), Source.Conflict);
                }

                try
                {
                    return (await running.Reply.WaitAsync(cancellationToken), Source.Duplicate);
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
                (CloudEvent Reply, Source Source) result;
                if (replies.TryGetValue(key, out kept))
                {
                    result = kept!.Digest == digest ? (kept.Reply, Source.Duplicate) : (await reply(cancellationToken), Source.Conflict);
                }
                else
                {
                    result = (await reply(cancellationToken), Source.New);
                    replies.Set(key, new Kept(digest, result.Reply), new MemoryCacheEntryOptions
                    {
                        Size = Math.Max(smallestEntry, SizeOf(key, result.Reply)),
                        AbsoluteExpirationRelativeToNow = ttl,
                    });
                }

                ours.SetResult(result.Reply);
                return result;
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
                inFlight.TryRemove(new KeyValuePair<EventKey, InFlight>(key, candidate));
            }
        }
    }

    public void Dispose() => replies.Dispose();

    /// <summary>About what the entry holds: its key's and the reply's strings (UTF-16), its predictions, and a fixed overhead.</summary>
    private static long SizeOf(EventKey key, CloudEvent reply)
    {
        long characters = key.Source.Length + key.Id.Length + (reply.Subject?.Length ?? 0) + (reply.Id?.Length ?? 0);
        long predictions = 0;
        if (reply.Data is ReplyData data)
        {
            characters += (data.Url?.Length ?? 0) + data.Model.Name.Length + data.Model.Sha256.Length;
            foreach (var prediction in data.Predictions)
            {
                characters += prediction.Label.Length + prediction.Synset.Length;
                predictions++;
            }
        }

        return EntryOverheadBytes + (2 * characters) + (predictions * PredictionOverheadBytes);
    }

    private sealed record Kept(RequestDigest Digest, CloudEvent Reply);

    private sealed record InFlight(RequestDigest Digest, Task<CloudEvent> Reply);
}
