using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;

namespace ImageClassifier.MLflow;

/// <summary>
/// What every request to MLflow must satisfy, at the one place they all pass: https (plain http
/// only on loopback or with MLFLOW_ALLOW_HTTP), and MLflow's credentials sent to the tracking
/// server's own scheme, host and port only, never to another host an artifact URI names.
/// </summary>
public sealed class MLflowRequestPolicy(IOptions<MLflowOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var url = request.RequestUri ?? throw new InvalidOperationException("An MLflow request has no URL.");
        if (!settings.AllowsTransport(url))
        {
            throw new MLflowTransportRefusedException(
                $"{url.GetLeftPart(UriPartial.Authority)} is plain http: MLflow is only spoken to over https, or over http on loopback or with MLFLOW_ALLOW_HTTP=true.");
        }

        request.Headers.Authorization = SameOrigin(url, settings.TrackingServer) ? Authorization(settings) : null;
        return base.SendAsync(request, cancellationToken);
    }

    private static bool SameOrigin(Uri url, Uri? trackingServer) =>
        trackingServer is not null
        && url.Scheme == trackingServer.Scheme
        && string.Equals(url.IdnHost, trackingServer.IdnHost, StringComparison.OrdinalIgnoreCase)
        && url.Port == trackingServer.Port;

    // As the Python client: Basic when a username and password are set, else Bearer with the token.
    private static AuthenticationHeaderValue? Authorization(MLflowOptions settings) =>
        !string.IsNullOrEmpty(settings.Username) && !string.IsNullOrEmpty(settings.Password)
            ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.Username}:{settings.Password}")))
            : !string.IsNullOrEmpty(settings.Token)
                ? new AuthenticationHeaderValue("Bearer", settings.Token)
                : null;
}

/// <summary>A request to MLflow refused before it was sent, because it would have gone over plain http.</summary>
public sealed class MLflowTransportRefusedException(string message) : Exception(message);
