using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;

namespace ImageClassifier.MLflow;

/// <summary>
/// MLflow's REST transport: endpoint URLs under the tracking URI, JSON both ways, and MLflow's
/// error JSON turned into <see cref="MLflowException"/>s. Credentials and retries live in the
/// named HttpClient (see <see cref="MLflowServiceCollectionExtensions"/>).
/// </summary>
public sealed class MLflowRestClient(IHttpClientFactory httpClientFactory, IOptions<MLflowOptions> options)
{
    /// <summary>The name of the one HttpClient that talks to MLflow.</summary>
    public const string HttpClientName = "MLflow";

    private const int MaxErrorBodyChars = 4096;

    /// <summary>The tracking server's root, always ending with a slash so that relative paths keep its path.</summary>
    public Uri TrackingRoot => options.Value.TrackingServer is { } uri
        ? new Uri(uri.AbsoluteUri.TrimEnd('/') + "/")
        : throw new InvalidOperationException("MLFLOW_TRACKING_URI is not set.");

    /// <summary>An endpoint under <c>/api/2.0/</c>, e.g. <c>mlflow/runs/create</c>, with query parameters.</summary>
    public Uri Endpoint(string path, params (string Name, string Value)[] query)
    {
        var url = new Uri(TrackingRoot, "api/2.0/" + path);
        if (query.Length == 0)
        {
            return url;
        }

        var pairs = query.Select(pair => Uri.EscapeDataString(pair.Name) + "=" + Uri.EscapeDataString(pair.Value));
        return new Uri(url.AbsoluteUri + "?" + string.Join('&', pairs));
    }

    public async Task<TResponse> GetAsync<TResponse>(Uri url, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        return await SendAsync(request, responseType, cancellationToken);
    }

    public async Task<TResponse> PostAsync<TRequest, TResponse>(
        Uri url, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body, requestType) };
        return await SendAsync(request, responseType, cancellationToken);
    }

    public async Task PutAsync(Uri url, HttpContent content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = content };
        await SendAsync(request, MLflowJsonContext.Default.EmptyResponse, cancellationToken);
    }

    /// <summary>Starts a download; the caller reads and disposes the response's body.</summary>
    public async Task<HttpResponseMessage> GetStreamingAsync(Uri url, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        var response = await CreateClient().SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        try
        {
            await ThrowIfFailedAsync(response, url, cancellationToken);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private HttpClient CreateClient() => httpClientFactory.CreateClient(HttpClientName);

    private async Task<TResponse> SendAsync<TResponse>(HttpRequestMessage request, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        using var response = await CreateClient().SendAsync(request, cancellationToken);
        await ThrowIfFailedAsync(response, request.RequestUri!, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        try
        {
            return JsonSerializer.Deserialize(body.Length == 0 ? "{}"u8 : body, responseType)
                ?? throw new MLflowException(response.StatusCode, "INVALID_RESPONSE", $"MLflow answered {Describe(request.RequestUri!)} with null.");
        }
        catch (JsonException exception)
        {
            throw new MLflowException(response.StatusCode, "INVALID_RESPONSE",
                $"MLflow's answer to {Describe(request.RequestUri!)} is not the JSON its API defines.", exception);
        }
    }

    private static async Task ThrowIfFailedAsync(HttpResponseMessage response, Uri url, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var status = response.StatusCode;
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        ErrorResponse? error = null;
        try
        {
            error = JsonSerializer.Deserialize(text, MLflowJsonContext.Default.ErrorResponse);
        }
        catch (JsonException)
        {
            // Not MLflow's error JSON (a proxy's page, the auth plugin's text): the status says enough.
        }

        var message = error?.Message ?? $"MLflow answered {(int)status} to {Describe(url)}: {Truncate(text)}";
        throw status switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new MLflowAuthenticationException(status,
                $"MLflow refused the credentials ({(int)status}) for {Describe(url)}: set MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD, or MLFLOW_TRACKING_TOKEN."),
            _ when error?.ErrorCode == MLflowErrorCodes.ResourceDoesNotExist => new MLflowResourceNotFoundException(status, message),
            _ when error?.ErrorCode == MLflowErrorCodes.ResourceAlreadyExists => new MLflowResourceAlreadyExistsException(status, message),
            _ => new MLflowException(status, error?.ErrorCode ?? $"HTTP_{(int)status}", message),
        };
    }

    // The path only: a query may carry names, never credentials, but logs need no more.
    private static string Describe(Uri url) => url.AbsolutePath;

    private static string Truncate(string text) => text.Length <= MaxErrorBodyChars ? text : text[..MaxErrorBodyChars] + "…";
}
