using ImageClassifier.Failures;

namespace ImageClassifier.Edge;

/// <summary>Writes a failure as an RFC 9457 <c>application/problem+json</c> body.</summary>
internal static class ProblemWriter
{
    public const string ContentType = "application/problem+json";

    public static Task WriteAsync(HttpResponse response, ClassificationException failure, CancellationToken cancellationToken) =>
        response.WriteAsJsonAsync(failure.ToProblemDetails(), EdgeJsonContext.Default.ProblemDetails, ContentType, cancellationToken);
}
