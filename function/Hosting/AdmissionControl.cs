using System.Threading.RateLimiting;
using ImageClassifier.Delivery;
using ImageClassifier.Failures;
using ImageClassifier.Inference;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Hosting;

/// <summary>
/// The door of every entry point. As a request arrives, before its body is read, it is refused at
/// once after SIGTERM, before the model is loaded, when every classification slot and queue place
/// is taken (an instance that cannot classify should not spend time receiving an image), or when
/// <see cref="AdmissionOptions.MaxConcurrentBodyReads"/> bodies are arriving already. Its body is
/// then received holding only a place among those readers, not a classification slot: a sender
/// that is slow to send its body keeps no one else from being classified. Once the body is in, a
/// concurrency limiter lets <see cref="AdmissionOptions.MaxConcurrentRequests"/> requests in,
/// queues <see cref="AdmissionOptions.QueueLimit"/> more (oldest first) and refuses the rest at
/// once, so an overloaded instance stays fast for the requests it accepts and Knative retries the
/// others elsewhere. A request that is cancelled gives its place back.
/// </summary>
internal sealed class AdmissionControl : IRequestGate, IDisposable
{
    private readonly ConcurrencyLimiter limiter;
    private readonly ConcurrencyLimiter readers;
    private readonly int queueLimit;
    private readonly IClassifier classifier;
    private readonly IHostApplicationLifetime lifetime;
    private readonly AdmissionMetrics metrics;

    public AdmissionControl(IOptions<AdmissionOptions> options, IClassifier classifier, IHostApplicationLifetime lifetime, AdmissionMetrics metrics)
    {
        this.classifier = classifier;
        this.lifetime = lifetime;
        this.metrics = metrics;
        queueLimit = options.Value.QueueLimit;
        limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = options.Value.MaxConcurrentRequests,
            QueueLimit = queueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        readers = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = options.Value.MaxConcurrentBodyReads, QueueLimit = 0 });
    }

    public IDisposable Receive()
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // Knative retries a 503, and routes the retry to another instance.
            throw Shed(Problems.ShuttingDown, "This instance is shutting down; retry shortly.");
        }

        if (!classifier.IsReady)
        {
            throw Shed(Problems.NotReady, "The model is not loaded yet; retry shortly.");
        }

        // Only a glance: a request let in here may still be refused once its body is in.
        if (limiter.GetStatistics() is { CurrentAvailablePermits: 0 } statistics && statistics.CurrentQueuedCount >= queueLimit)
        {
            throw Overloaded();
        }

        var reading = readers.AttemptAcquire();
        if (reading.IsAcquired)
        {
            return new Receiving(reading, metrics);
        }

        reading.Dispose();
        throw Shed(Problems.TooManyUploads, "The function is receiving as many request bodies as it can (MAX_CONCURRENT_BODY_READS); retry shortly.");
    }

    public async ValueTask<IDisposable> AdmitAsync(CancellationToken cancellationToken)
    {
        var lease = await limiter.AcquireAsync(1, cancellationToken);
        if (lease.IsAcquired)
        {
            return lease;
        }

        lease.Dispose();
        throw Overloaded();
    }

    public void Dispose()
    {
        limiter.Dispose();
        readers.Dispose();
    }

    private ClassificationException Overloaded() =>
        Shed(Problems.Overloaded, "The function is serving as many requests as it can; retry shortly.");

    private ClassificationException Shed(ProblemType type, string detail)
    {
        metrics.RecordShed(type.Slug);
        return type.Failure(detail);
    }

    /// <summary>A place among the bodies being received, counted on the receiving gauge while it is held.</summary>
    private sealed class Receiving : IDisposable
    {
        private RateLimitLease? lease;
        private readonly AdmissionMetrics metrics;

        public Receiving(RateLimitLease lease, AdmissionMetrics metrics)
        {
            this.lease = lease;
            this.metrics = metrics;
            metrics.RecordReceiving(1);
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref lease, null) is { } held)
            {
                held.Dispose();
                metrics.RecordReceiving(-1);
            }
        }
    }
}
