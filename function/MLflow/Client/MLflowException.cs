using System.Net;

namespace ImageClassifier.MLflow.Client;

/// <summary>
/// An MLflow server answered with an error: its <c>error_code</c> (e.g.
/// <c>INVALID_PARAMETER_VALUE</c>) and <c>message</c>, or only a status code when the answer
/// was not MLflow's error JSON (a proxy, a crash).
/// </summary>
public class MLflowException(HttpStatusCode statusCode, string errorCode, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    public HttpStatusCode StatusCode { get; } = statusCode;

    /// <summary>MLflow's <c>error_code</c> (databricks.proto's ErrorCode), or <c>HTTP_&lt;status&gt;</c>.</summary>
    public string ErrorCode { get; } = errorCode;

    /// <summary>The server could not serve it now (5xx, 429): trying later may succeed.</summary>
    public bool IsTransient => (int)StatusCode >= 500 || StatusCode == HttpStatusCode.TooManyRequests;
}

/// <summary><c>RESOURCE_DOES_NOT_EXIST</c>: no such experiment, run, registered model, version or alias.</summary>
public sealed class MLflowResourceNotFoundException(HttpStatusCode statusCode, string message)
    : MLflowException(statusCode, MLflowErrorCodes.ResourceDoesNotExist, message);

/// <summary><c>RESOURCE_ALREADY_EXISTS</c>: e.g. an experiment created by another replica meanwhile.</summary>
public sealed class MLflowResourceAlreadyExistsException(HttpStatusCode statusCode, string message)
    : MLflowException(statusCode, MLflowErrorCodes.ResourceAlreadyExists, message);

/// <summary>401 or 403: the credentials are missing, wrong, or not allowed to do this.</summary>
public sealed class MLflowAuthenticationException(HttpStatusCode statusCode, string message)
    : MLflowException(statusCode, statusCode == HttpStatusCode.Forbidden ? MLflowErrorCodes.PermissionDenied : MLflowErrorCodes.Unauthenticated, message);

/// <summary>
/// An answer longer than its cap (MLFLOW_MAX_RESPONSE_BYTES, or a file's limit): the server is not
/// trusted to end its answers, so this is a failure, never retried, whatever the status.
/// </summary>
public sealed class MLflowResponseTooLargeException(HttpStatusCode statusCode, string message)
    : MLflowException(statusCode, MLflowErrorCodes.ResponseTooLarge, message);

/// <summary>The error codes this client tells apart, as MLflow's databricks.proto names them.</summary>
public static class MLflowErrorCodes
{
    public const string ResourceDoesNotExist = "RESOURCE_DOES_NOT_EXIST";
    public const string ResourceAlreadyExists = "RESOURCE_ALREADY_EXISTS";
    public const string InvalidParameterValue = "INVALID_PARAMETER_VALUE";
    public const string Unauthenticated = "UNAUTHENTICATED";
    public const string PermissionDenied = "PERMISSION_DENIED";
    public const string InternalError = "INTERNAL_ERROR";

    /// <summary>Not MLflow's: this client's, for an answer longer than its cap.</summary>
    public const string ResponseTooLarge = "RESPONSE_TOO_LARGE";
}
