using System.Threading.RateLimiting;
using ImageClassifier.Delivery;
using ImageClassifier.Failures;
using ImageClassifier.Inference;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Hosting;

/// <summary>
/// The door of every entry point, before a request's body is read: an instance that cannot
/// classify should not spend time receiving an image. After SIGTERM, or before the model is
/// loaded, a request is refused at once; otherwise a concurrency limiter lets
/// <see cref="AdmissionOptions.MaxConcurrentRequests"/> requests in, queues
/// <see cref="AdmissionOptions.QueueLimit"/> more (oldest first) and refuses the rest at once,
/// so an overloaded instance stays fast for the requests it accepts and Knative retries the
/// others elsewhere. A request that is cancelled gives its slot or its place in the queue back.
/// </summary>
internal sealed class AdmissionControl : IRequestGate, IDisposable
{
    private readonly ConcurrencyLimiter limiter;
    private readonly IClassifier classifier;
    private readonly IHostApplicationLifetime lifetime;
    private readonly AdmissionMetrics metrics;

    public AdmissionControl(IOptions<AdmissionOptions> options, IClassifier classifier, IHostApplicationLifetime lifetime, AdmissionMetrics metrics)
    {
        this.classifier = classifier;
        this.lifetime = lifetime;
        this.metrics = metrics;
        limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = options.Value.MaxConcurrentRequests,
            QueueLimit = options.Value.QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    public async ValueTask<IDisposable> AdmitAsync(CancellationToken cancellationToken)
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

        var lease = await limiter.AcquireAsync(1, cancellationToken);
        if (lease.IsAcquired)
        {
            return lease;
        }

        lease.Dispose();
        throw Shed(Problems.Overloaded, "The function is serving as many requests as it can; retry shortly.");
    }

    public void Dispose() => limiter.Dispose();

    private ClassificationException Shed(ProblemType type, string detail)
    {
        metrics.RecordShed(type.Slug);
        return type.Failure(detail);
    }
}
