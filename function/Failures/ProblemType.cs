using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace ImageClassifier.Failures;

/// <summary>
/// One case the function answers with a problem: the slug its <c>type</c> URI ends with, the
/// status code, and the title. The status decides what Knative Eventing does with the event, so
/// each is chosen for that: a retry that cannot help gets a 4xx Knative does not retry.
/// </summary>
public sealed record ProblemType(string Slug, int Status, string Title)
{
    /// <summary>Every problem's <c>type</c> is this base followed by the slug.</summary>
    public const string TypeBase = "urn:image-classifier:problem:";

    /// <summary>Seconds a caller told to come back (every 503) should wait.</summary>
    public const int RetryAfterSeconds = 1;

    public string Type => TypeBase + Slug;

    /// <summary>Knative Eventing retries 404, 408, 409, 429 and every 5xx; any other answer is final.</summary>
    public bool RetriedByKnative => Status is 404 or 408 or 409 or 429 or >= 500;

    /// <summary>A 503 is the function saying "not now": it tells the caller when to come back.</summary>
    public bool CarriesRetryAfter => Status == 503;

    /// <summary>
    /// The caller should come back on a new connection: this instance is not ready or is going
    /// away (a new connection may reach another one), or the request's body was refused unread
    /// (408, 413). An overloaded instance keeps the connection: Kestrel reads the unread body
    /// either way (it would otherwise reset the connection and lose the answer), and a new
    /// connection per refusal measured worse on every figure (bench/HISTORY.md, "Cheap refusals").
    /// </summary>
    public bool ClosesConnection { get; init; }

    /// <summary>
    /// Refused for the instance's own state (not ready, shutting down, overloaded), whatever the
    /// request says: such refusals come as fast as callers resend, so they are logged in sum
    /// rather than one line each.
    /// </summary>
    public bool ShedsLoad { get; init; }

    /// <summary>The failure to throw, with a detail for the caller (no secrets, no exception text).</summary>
    public ClassificationException Failure(string detail, Exception? innerException = null) => new(this, detail, innerException);

    /// <summary>Sets the headers this type carries on an answer, whatever body the entry point writes.</summary>
    public void WriteHeaders(HttpResponse response)
    {
        if (CarriesRetryAfter)
        {
            response.Headers[HeaderNames.RetryAfter] = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }

        if (ClosesConnection)
        {
            response.Headers[HeaderNames.Connection] = "close";
        }
    }
}
