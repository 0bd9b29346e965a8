using ImageClassifier.Failures;
using ImageClassifier.Memory;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Edge;

/// <summary>
/// Reads a request body whole, into memory paid for from the budget as the bytes arrive, within
/// its form's limit and REQUEST_BODY_TIMEOUT_SECONDS. A declared length over the limit is refused
/// before a byte is read; a chunked body is counted as it streams; a body too slow is 408, and its
/// place among the bodies arriving is free again (it holds no classification slot meanwhile).
/// </summary>
internal sealed class BodyReader(MemoryBudget budget, IOptions<EdgeOptions> options, TimeProvider timeProvider)
{
    /// <summary>The body, in a buffer the caller disposes once it is done with the bytes.</summary>
    public async Task<BudgetedBuffer> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        // Kestrel enforces the form's limit too, so that it does not drain the rest of a body
        // refused for its size: it closes the connection instead, as for its own 413.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } kestrelLimit)
        {
            kestrelLimit.MaxRequestBodySize = limit;
        }

        if (request.ContentLength > limit)
        {
            throw PayloadTooLarge(limit);
        }

        var timeout = options.Value.BodyTimeout;
        using var deadline = new CancellationTokenSource(timeout, timeProvider);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        BudgetedBuffer body;
        try
        {
            body = await BudgetedBuffer.ReadAsync(
                request.Body, request.ContentLength, limit, budget, "The request body", () => PayloadTooLarge(limit), reading.Token);
        }
        catch (OperationCanceledException e) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw Problems.RequestTimeout.Failure(
                $"The request body did not arrive within {timeout.TotalSeconds} seconds (REQUEST_BODY_TIMEOUT_SECONDS).", e);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw PayloadTooLarge(limit);
        }
        catch (BadHttpRequestException e)
        {
            throw Problems.InvalidRequest.Failure("The request body could not be read.", e);
        }

        if (request.ContentLength is { } declared && body.Length != declared)
        {
            body.Dispose();
            throw Problems.InvalidRequest.Failure("The request body is shorter than its Content-Length.");
        }

        return body;
    }

    private static ClassificationException PayloadTooLarge(long limit) =>
        Problems.PayloadTooLarge.Failure($"The request body is larger than {limit} bytes, the limit for its content type.");
}
