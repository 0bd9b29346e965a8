using System.Net;
using ImageClassifier.Failures;
using ImageClassifier.Imaging;
using ImageClassifier.Memory;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;

namespace ImageClassifier.Fetching;

/// <summary>
/// Fetches an image over HTTP: checks the URL, sends it through the resilience pipeline,
/// follows redirects itself (so each hop is checked again), maps the upstream status to a
/// failure and reads the body under the size cap, all within one time budget.
/// </summary>
internal sealed class HttpImageFetcher : IImageFetcher
{
    /// <summary>The name of the one HttpClient configuration in the client factory.</summary>
    public const string HttpClientName = "image-fetcher";

    private const int MaxRedirects = 3;

    private readonly HttpClient client;
    private readonly ResiliencePipeline<HttpResponseMessage> pipeline;
    private readonly UrlPolicy urlPolicy;
    private readonly FetchOptions options;
    private readonly int maxBytes;
    private readonly TimeProvider timeProvider;
    private readonly FetchMetrics metrics;
    private readonly MemoryBudget budget;

    public HttpImageFetcher(
        IHttpClientFactory clientFactory,
        IOptions<FetchOptions> options,
        IOptions<ImagingOptions> image,
        FetchMetrics metrics,
        MemoryBudget budget,
        TimeProvider timeProvider,
        ILogger<HttpImageFetcher> logger)
    {
        this.options = options.Value;
        maxBytes = image.Value.MaxImageBytes;
        this.budget = budget;
        this.timeProvider = timeProvider;
        this.metrics = metrics;
        client = clientFactory.CreateClient(HttpClientName);
        pipeline = FetchPipelineFactory.Create(this.options, timeProvider, logger);
        urlPolicy = new UrlPolicy(this.options, metrics);
    }

    public async Task<FetchedImage> FetchAsync(Uri url, CancellationToken cancellationToken)
    {
        var target = urlPolicy.Check(url);
        var deadline = new FetchDeadline(timeProvider, options.Timeout);
        try
        {
            using var response = await GetFollowingRedirectsAsync(target, deadline, cancellationToken);
            EnsureSuccess(response);

            var declared = response.Content.Headers.ContentLength;
            if (declared > maxBytes)
            {
                throw TooLarge();
            }

            using var expiry = new CancellationTokenSource(deadline.Remaining, timeProvider);
            using var bodyToken = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, expiry.Token);
            await using var body = await response.Content.ReadAsStreamAsync(bodyToken.Token);
            var bytes = await BudgetedBuffer.ReadAsync(body, declared, maxBytes, budget, "The image download", TooLarge, bodyToken.Token);
            metrics.RecordDownloaded(bytes.Length);
            return new FetchedImage(bytes.Memory, bytes);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
        {
            throw new OperationCanceledException("The caller cancelled the image fetch.", e, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && Translate(e) is { } failure)
        {
            throw failure;
        }
    }

    private async Task<HttpResponseMessage> GetFollowingRedirectsAsync(Uri url, FetchDeadline deadline, CancellationToken cancellationToken)
    {
        for (var redirects = 0; ; redirects++)
        {
            var response = await SendAsync(url, deadline, cancellationToken);
            if (!IsRedirect(response.StatusCode))
            {
                return response;
            }

            using (response)
            {
                if (redirects == MaxRedirects)
                {
                    throw Problems.TooManyRedirects.Failure($"The image URL redirected more than {MaxRedirects} times.");
                }

                url = urlPolicy.Check(RedirectTarget(response, url));
            }
        }
    }

    private async Task<HttpResponseMessage> SendAsync(Uri url, FetchDeadline deadline, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(FetchDeadline.Key, deadline);
        var attempts = 0;
        try
        {
            return await pipeline.ExecuteAsync(
                async (context, state) =>
                {
                    metrics.RecordAttempt(retry: attempts++ > 0);
                    using var request = new HttpRequestMessage(HttpMethod.Get, state.url);
                    return await state.client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.CancellationToken);
                },
                context,
                (client, url));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private ClassificationException TooLarge() =>
        Problems.ImageTooLarge.Failure($"The image is larger than the {maxBytes}-byte limit (FETCH_MAX_BYTES).");

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static Uri RedirectTarget(HttpResponseMessage response, Uri from) =>
        response.Headers.Location is { } location
            ? new Uri(from, location)
            : throw Problems.UpstreamRejected.Failure("The image host answered with a redirect that names no location.");

    /// <summary>
    /// An upstream 404 is the image's absence, not ours: it must not reach the caller as a 404
    /// (which Knative would retry), so every upstream 4xx becomes a 422.
    /// </summary>
    private static void EnsureSuccess(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        if (status is >= 200 and < 300)
        {
            return;
        }

        throw response.StatusCode switch
        {
            HttpStatusCode.NotFound or HttpStatusCode.Gone => Problems.ImageNotFound.Failure("The image host has no image at this URL."),
            _ when FetchPipelineFactory.IsTransient(response.StatusCode) => Problems.UpstreamFailed.Failure($"The image host answered {status} after retries."),
            _ => Problems.UpstreamRejected.Failure($"The image host refused the request with status {status}."),
        };
    }

    private static ClassificationException? Translate(Exception exception) => exception switch
    {
        // Both the total and the per-attempt timeouts: the upstream was too slow either way.
        TimeoutRejectedException or OperationCanceledException => Problems.UpstreamTimeout.Failure("The image host did not deliver the image in time.", exception),
        HttpRequestException when AddressRefusedException.IsCauseOf(exception) => Problems.UrlRefused.Failure("The image URL's host is not a public host.", exception),
        HttpRequestException or IOException => Problems.UpstreamFailed.Failure("The image host could not be reached or broke off the download.", exception),
        _ => null,
    };
}
