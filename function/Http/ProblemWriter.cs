using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace ImageClassifier.Http;

/// <summary>Writes a failure as an <c>application/problem+json</c> response.</summary>
internal static class ProblemWriter
{
    public const string ContentType = "application/problem+json";

    public static Task WriteAsync(HttpResponse response, ClassificationException failure, CancellationToken cancellationToken)
    {
        response.Clear();
        if (failure.Kind == FailureKind.Unavailable)
        {
            var seconds = failure.RetryAfterSeconds ?? ProblemMapping.DefaultRetryAfterSeconds;
            response.Headers[HeaderNames.RetryAfter] = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return WriteAsync(response, ProblemMapping.ToProblem(failure), cancellationToken);
    }

    public static Task WriteInternalErrorAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        response.Clear();
        return WriteAsync(response, ProblemMapping.InternalError(), cancellationToken);
    }

    private static Task WriteAsync(HttpResponse response, ProblemDetails problem, CancellationToken cancellationToken)
    {
        response.StatusCode = problem.Status!.Value;
        return response.WriteAsJsonAsync(problem, EdgeJsonContext.Default.ProblemDetails, ContentType, cancellationToken);
    }
}
