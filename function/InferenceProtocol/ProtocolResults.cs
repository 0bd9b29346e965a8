using System.Text.Json.Serialization.Metadata;
using ImageClassifier.Failures;

namespace ImageClassifier.InferenceProtocol;

/// <summary>Replies in the protocol's JSON, failures as its <c>{"error": "…"}</c> body with the catalogue's status.</summary>
internal static class ProtocolResults
{
    public static IResult Json<T>(T body, JsonTypeInfo<T> typeInfo, int statusCode = StatusCodes.Status200OK) =>
        TypedResults.Json(body, typeInfo, statusCode: statusCode);

    /// <summary>A failure as a result, with its type's status and headers, so both doors answer it alike.</summary>
    public static IResult Failure(HttpResponse response, ClassificationException failure)
    {
        failure.Type.WriteHeaders(response);
        return Json(new ErrorReply(failure.Message), InferenceProtocolJsonContext.Default.ErrorReply, failure.Type.Status);
    }

    /// <summary>Writes a failure's body (the lifecycle has set its status and headers).</summary>
    public static Task WriteErrorAsync(HttpResponse response, ClassificationException failure, CancellationToken cancellationToken) =>
        response.WriteAsJsonAsync(new ErrorReply(failure.Message), InferenceProtocolJsonContext.Default.ErrorReply, contentType: null, cancellationToken);
}
