namespace ImageClassifier.Fetching;

/// <summary>
/// Which URLs may be fetched at all, judged from the URL alone: absolute http or https, no
/// credentials, a host, and a port from FETCH_ALLOWED_PORTS when that list is set. Where the
/// host points is the <see cref="GuardedConnector"/>'s question, asked when connecting.
/// </summary>
internal sealed class UrlPolicy(FetchOptions options)
{
    private readonly IReadOnlySet<int> allowedPorts = options.AllowedPortSet;

    /// <summary>Returns the URL if it may be fetched; throws <see cref="ClassificationException"/> if not.</summary>
    public Uri Check(Uri url)
    {
        if (!url.IsAbsoluteUri)
        {
            throw new ClassificationException(FailureKind.BadRequest, "invalid-url", "The image URL must be an absolute http or https URL.");
        }

        // Uri.Scheme is always lower case, so HTTP://… passes as it should.
        if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
        {
            throw Refused("Only http and https image URLs are fetched.");
        }

        if (url.UserInfo.Length > 0)
        {
            throw Refused("Image URLs must not carry credentials.");
        }

        if (url.IdnHost.Length == 0)
        {
            throw Refused("The image URL names no host.");
        }

        if (allowedPorts.Count > 0 && !allowedPorts.Contains(url.Port))
        {
            throw Refused("The image URL's port is not one that may be fetched.");
        }

        return url;
    }

    private static ClassificationException Refused(string detail) => new(FailureKind.UrlRefused, "url-refused", detail);
}
