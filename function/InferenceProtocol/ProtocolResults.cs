using System.Globalization;
using System.Text.Json.Serialization.Metadata;
using ImageClassifier.Http;
using Microsoft.Net.Http.Headers;

namespace ImageClassifier.InferenceProtocol;

/// <summary>Replies in the protocol's JSON, failures as its <c>{"error": "…"}</c> body.</summary>
internal static class ProtocolResults
{
    public static IResult Json<T>(T body, JsonTypeInfo<T> typeInfo, int statusCode = StatusCodes.Status200OK) =>
        TypedResults.Json(body, typeInfo, statusCode: statusCode);

    public static IResult Error(int statusCode, string message) =>
        TypedResults.Json(new ErrorReply(message), InferenceProtocolJsonContext.Default.ErrorReply, statusCode: statusCode);

    /// <summary>The status the function's own edge gives the same failure, so both doors agree.</summary>
    public static IResult Failure(HttpResponse response, ClassificationException failure)
    {
        if (failure.Kind == FailureKind.Unavailable)
        {
            var seconds = failure.RetryAfterSeconds ?? ProblemMapping.DefaultRetryAfterSeconds;
            response.Headers[HeaderNames.RetryAfter] = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return Error(ProblemMapping.StatusAndTitle(failure.Kind).Status, failure.Message);
    }
}
