using Microsoft.AspNetCore.Mvc;

namespace ImageClassifier.Http;

/// <summary>
/// The one place where a failure becomes an RFC 9457 problem: status and title per
/// <see cref="FailureKind"/>, as DESIGN.md's Failures table gives them.
/// </summary>
internal static class ProblemMapping
{
    /// <summary>Every problem's <c>type</c> is this base followed by the case's slug.</summary>
    public const string TypeBase = "urn:image-classifier:problem:";

    /// <summary>Retry-After of a 503 whose failure did not say how long to wait.</summary>
    public const int DefaultRetryAfterSeconds = 1;

    public const string InternalErrorSlug = "internal-error";

    public static ProblemDetails ToProblem(ClassificationException failure)
    {
        var (status, title) = StatusAndTitle(failure.Kind);
        return new ProblemDetails
        {
            Type = TypeBase + failure.Problem,
            Title = title,
            Status = status,
            Detail = failure.Message,
        };
    }

    /// <summary>A bug: the caller learns only that it was not their fault.</summary>
    public static ProblemDetails InternalError() => new()
    {
        Type = TypeBase + InternalErrorSlug,
        Title = "Internal error",
        Status = StatusCodes.Status500InternalServerError,
        Detail = "The function failed unexpectedly; the failure has been logged.",
    };

    public static (int Status, string Title) StatusAndTitle(FailureKind kind) => kind switch
    {
        FailureKind.BadRequest => (StatusCodes.Status400BadRequest, "Malformed request"),
        FailureKind.UrlRefused => (StatusCodes.Status422UnprocessableEntity, "Image URL refused"),
        FailureKind.UnsupportedMediaType => (StatusCodes.Status415UnsupportedMediaType, "Unsupported media type"),
        FailureKind.PayloadTooLarge => (StatusCodes.Status413PayloadTooLarge, "Request body too large"),
        FailureKind.ImageUnusable => (StatusCodes.Status422UnprocessableEntity, "Image unusable"),
        FailureKind.UpstreamFailed => (StatusCodes.Status502BadGateway, "Image host failed"),
        FailureKind.UpstreamTimeout => (StatusCodes.Status504GatewayTimeout, "Image host too slow"),
        FailureKind.Unavailable => (StatusCodes.Status503ServiceUnavailable, "Service unavailable"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown failure kind."),
    };
}
