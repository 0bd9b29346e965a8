using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;

namespace ImageClassifier.MLflow.Client;

/// <summary>
/// MLflow's REST transport: endpoint URLs under the tracking URI, JSON both ways, and MLflow's
/// error JSON turned into <see cref="MLflowException"/>s. The server is not trusted: every answer
/// is read as it arrives, up to a cap (MLFLOW_MAX_RESPONSE_BYTES for the API's JSON, the caller's
/// for a file), within MLFLOW_HTTP_REQUEST_TIMEOUT, and one longer than its cap is a failure,
/// never retried. Credentials, the origins allowed and retries live in the named HttpClient
/// (see <c>AddMLflow</c>).
/// </summary>
public sealed class MLflowRestClient(IHttpClientFactory httpClientFactory, IOptions<MLflowOptions> options, MLflowTrackingMetrics metrics)
{
    /// <summary>The name of the one HttpClient that talks to MLflow.</summary>
    public const string HttpClientName = "MLflow";

    private const int MaxErrorBodyChars = 4096;

    private const int ReadChunkBytes = 16 * 1024;

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

    /// <summary>
    /// A small file (an artifact's labels, its MLmodel or a config), read whole into memory, at most
    /// <paramref name="maxBytes"/>: a longer answer is refused, however long it would have gone on.
    /// </summary>
    /// <exception cref="MLflowResponseTooLargeException">More than <paramref name="maxBytes"/> came, or were announced.</exception>
    public async Task<byte[]> GetBytesAsync(Uri url, int maxBytes, CancellationToken cancellationToken)
    {
        using var response = await GetStreamingAsync(url, cancellationToken);
        return await ReadCappedAsync(response, url, maxBytes, cancellationToken);
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

    /// <summary>Counts and describes an answer longer than its cap.</summary>
    public MLflowResponseTooLargeException TooLarge(HttpStatusCode status, Uri url, long maxBytes, string setting)
    {
        metrics.Refused(MLflowTrackingMetrics.RefusalReasons.TooLarge);
        return new MLflowResponseTooLargeException(status,
            $"MLflow's answer to {Describe(url)} is longer than {maxBytes} bytes ({setting}); it was not read further.");
    }

    private HttpClient CreateClient() => httpClientFactory.CreateClient(HttpClientName);

    private async Task<TResponse> SendAsync<TResponse>(HttpRequestMessage request, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        using var response = await CreateClient().SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await ThrowIfFailedAsync(response, request.RequestUri!, cancellationToken);
        var body = await ReadCappedAsync(response, request.RequestUri!, options.Value.MaxResponseBytes, cancellationToken);
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

    /// <summary>
    /// Reads a body as it arrives into a buffer that grows with it, never sized from what
    /// Content-Length claims, up to <paramref name="maxBytes"/>, within MLFLOW_HTTP_REQUEST_TIMEOUT
    /// (the resilience pipeline times an attempt only until the headers come).
    /// </summary>
    private async Task<byte[]> ReadCappedAsync(HttpResponseMessage response, Uri url, int maxBytes, CancellationToken cancellationToken)
    {
        var setting = maxBytes == options.Value.MaxResponseBytes ? "MLFLOW_MAX_RESPONSE_BYTES" : "the file's limit";
        if (response.Content.Headers.ContentLength > maxBytes)
        {
            throw TooLarge(response.StatusCode, url, maxBytes, setting);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.HttpRequestTimeoutSeconds));
        await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
        using var buffer = new MemoryStream();
        var chunk = new byte[Math.Min(ReadChunkBytes, maxBytes + 1)];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk, timeout.Token)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    throw TooLarge(response.StatusCode, url, maxBytes, setting);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (OperationCanceledException exception) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"MLflow's answer to {Describe(url)} did not arrive whole within MLFLOW_HTTP_REQUEST_TIMEOUT.", exception);
        }

        return buffer.ToArray();
    }

    private static async Task ThrowIfFailedAsync(HttpResponseMessage response, Uri url, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var status = response.StatusCode;
        var (text, whole) = await ReadErrorAsync(response, cancellationToken);
        ErrorResponse? error = null;
        try
        {
            // MLflow's error JSON is small; a longer error is only quoted, cut, never parsed.
            error = whole ? JsonSerializer.Deserialize(text, MLflowJsonContext.Default.ErrorResponse) : null;
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

    /// <summary>The first <see cref="MaxErrorBodyChars"/> bytes of an error's body, and whether that was all of it; never more is read.</summary>
    private static async Task<(string Text, bool Whole)> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxErrorBodyChars + 1];
        var length = 0;
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            int read;
            while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            {
                length += read;
            }
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException)
        {
            // The status says enough when the error's body is cut short.
        }

        var whole = length <= MaxErrorBodyChars;
        return (Encoding.UTF8.GetString(buffer, 0, Math.Min(length, MaxErrorBodyChars)), whole);
    }

    // The path only: a query may carry names, never credentials, but logs need no more.
    private static string Describe(Uri url) => url.AbsolutePath;

    private static string Truncate(string text) => text.Length < MaxErrorBodyChars ? text : text + "…";
}
