using System.Threading.RateLimiting;
using ImageClassifier.Observability;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Http;

/// <summary>
/// Admission control on POST /: ASP.NET Core's concurrency limiter lets
/// <see cref="AdmissionOptions.MaxConcurrentRequests"/> requests in, queues
/// <see cref="AdmissionOptions.QueueLimit"/> more (oldest first), and refuses the rest at once
/// with 503, Retry-After and an <c>overloaded</c> problem, so an overloaded instance stays
/// fast for the requests it accepts and Knative retries the others elsewhere. A request that is
/// cancelled gives its slot or its place in the queue back. Health endpoints are never limited.
/// </summary>
public static class AdmissionControl
{
    /// <summary>The rate-limiting policy the function's endpoint requires.</summary>
    public const string PolicyName = "admission";

    public static IServiceCollection AddAdmissionControl(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<AdmissionOptions>(configuration);
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<AdmissionOptions>>((limiter, admission) =>
        {
            limiter.AddConcurrencyLimiter(PolicyName, concurrency =>
            {
                concurrency.PermitLimit = admission.Value.MaxConcurrentRequests;
                concurrency.QueueLimit = admission.Value.QueueLimit;
                concurrency.QueueProcessingOrder = QueueProcessingOrder.OldestFirst;
            });
            limiter.OnRejected = (context, cancellationToken) =>
            {
                context.HttpContext.RequestServices.GetRequiredService<FunctionMetrics>().RecordRequestShed(ShedReason.Overloaded);
                return new ValueTask(ProblemWriter.WriteAsync(context.HttpContext.Response, Overloaded(), cancellationToken));
            };
        });
        return services;
    }

    public static WebApplication UseAdmissionControl(this WebApplication app)
    {
        app.UseRateLimiter();
        return app;
    }

    private static ClassificationException Overloaded() =>
        new(FailureKind.Unavailable, "overloaded", "The function is serving as many requests as it can; retry shortly.")
        {
            RetryAfterSeconds = ProblemMapping.DefaultRetryAfterSeconds,
        };
}
