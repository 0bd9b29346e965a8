using ImageClassifier.Failures;

namespace ImageClassifier.Fetching;

/// <summary>
/// Which URLs may be fetched at all, judged from the URL alone: absolute http or https, no
/// credentials, a host, and a port from FETCH_ALLOWED_PORTS when that list is set. Where the
/// host points is the <see cref="GuardedConnector"/>'s question, asked when connecting. Each
/// refusal is counted under the reason it was refused for.
/// </summary>
internal sealed class UrlPolicy(FetchOptions options, FetchMetrics metrics)
{
    private readonly IReadOnlySet<int> allowedPorts = options.AllowedPortSet;

    /// <summary>Returns the URL if it may be fetched; throws <see cref="ClassificationException"/> if not.</summary>
    public Uri Check(Uri url)
    {
        if (!url.IsAbsoluteUri)
        {
            throw Problems.InvalidUrl.Failure("The image URL must be an absolute http or https URL.");
        }

        // Uri.Scheme is always lower case, so HTTP://… passes as it should.
        if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
        {
            throw Refused(RefusalReason.Scheme, "Only http and https image URLs are fetched.");
        }

        if (url.UserInfo.Length > 0)
        {
            throw Refused(RefusalReason.Credentials, "Image URLs must not carry credentials.");
        }

        if (url.IdnHost.Length == 0)
        {
            throw Refused(RefusalReason.Host, "The image URL names no host.");
        }

        if (allowedPorts.Count > 0 && !allowedPorts.Contains(url.Port))
        {
            throw Refused(RefusalReason.Other, "The image URL's port is not one that may be fetched.");
        }

        return url;
    }

    private ClassificationException Refused(string reason, string detail)
    {
        metrics.RecordRefused(reason);
        return Problems.UrlRefused.Failure(detail);
    }
}
