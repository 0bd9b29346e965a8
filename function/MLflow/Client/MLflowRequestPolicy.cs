using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;

namespace ImageClassifier.MLflow.Client;

/// <summary>
/// What every request to MLflow must satisfy, at the one place they all pass: https (plain http
/// only on loopback or with MLFLOW_ALLOW_HTTP), an origin the operator named (the tracking
/// server's, or one of MLFLOW_ARTIFACT_HOSTS: an artifact URI or a redirect naming any other host
/// is refused before a connection), and MLflow's credentials sent to the tracking server's own
/// scheme, host and port only. Redirects are followed here, at most <see cref="MaxRedirects"/>,
/// so that every hop is checked the same way (the handler below follows none).
/// </summary>
public sealed class MLflowRequestPolicy(IOptions<MLflowOptions> options, MLflowTrackingMetrics metrics) : DelegatingHandler
{
    public const int MaxRedirects = 3;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        for (var hop = 0; ; hop++)
        {
            Check(request);
            var response = await base.SendAsync(request, cancellationToken);
            if (!IsRedirect(response.StatusCode) || response.Headers.Location is not { } location
                || (request.Method != HttpMethod.Get && request.Method != HttpMethod.Head))
            {
                return response;
            }

            response.Dispose();
            if (hop == MaxRedirects)
            {
                throw new MLflowTransportRefusedException($"{Describe(request.RequestUri!)} redirected more than {MaxRedirects} times.");
            }

            request.RequestUri = new Uri(request.RequestUri!, location);
        }
    }

    private void Check(HttpRequestMessage request)
    {
        var settings = options.Value;
        var url = request.RequestUri ?? throw new InvalidOperationException("An MLflow request has no URL.");
        if (!settings.IsArtifactOrigin(url))
        {
            metrics.Refused(MLflowTrackingMetrics.RefusalReasons.Origin);
            throw new MLflowTransportRefusedException(
                $"{Describe(url)} is neither the tracking server nor one of MLFLOW_ARTIFACT_HOSTS: MLflow and its artifacts are only fetched from the origins the operator named.");
        }

        if (!settings.AllowsTransport(url))
        {
            throw new MLflowTransportRefusedException(
                $"{Describe(url)} is plain http: MLflow is only spoken to over https, or over http on loopback or with MLFLOW_ALLOW_HTTP=true.");
        }

        request.Headers.Authorization = MLflowOptions.SameOrigin(url, settings.TrackingServer) ? Authorization(settings) : null;
    }

    private static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    // The origin only: a path may carry names, never credentials, but logs need no more.
    private static string Describe(Uri url) => url.GetLeftPart(UriPartial.Authority);

    // As the Python client: Basic when a username and password are set, else Bearer with the token.
    private static AuthenticationHeaderValue? Authorization(MLflowOptions settings) =>
        !string.IsNullOrEmpty(settings.Username) && !string.IsNullOrEmpty(settings.Password)
            ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.Username}:{settings.Password}")))
            : !string.IsNullOrEmpty(settings.Token)
                ? new AuthenticationHeaderValue("Bearer", settings.Token)
                : null;
}

/// <summary>A request to MLflow refused before it was sent: plain http, a host no one named, or too many redirects.</summary>
public sealed class MLflowTransportRefusedException(string message) : Exception(message);
