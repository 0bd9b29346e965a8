using ImageClassifier.Failures;

namespace ImageClassifier.Fetching;

/// <summary>
/// Which URLs may be fetched at all, judged from the URL alone: absolute http or https, no
/// credentials, a host that is not a cluster-internal name, and a port from FETCH_ALLOWED_PORTS.
/// Where the host points is the <see cref="GuardedConnector"/>'s question, asked when connecting.
/// Each refusal is counted under the reason it was refused for.
/// </summary>
internal sealed class UrlPolicy(FetchOptions options, FetchMetrics metrics)
{
    /// <summary>Names that only mean something inside a cluster or a cloud network: never a public image host.</summary>
    private static readonly string[] InternalSuffixes = [".svc", ".cluster.local", ".internal"];

    private readonly IReadOnlySet<int> allowedPorts = options.AllowedPortSet;
    private readonly bool allowPrivateNetworks = options.AllowPrivateNetworks;

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

        if (!allowPrivateNetworks && IsInternalName(url))
        {
            // Refused before any lookup, with the answer a name resolving to a refused address gets.
            throw Refused(RefusalReason.Address, "The image URL's host is not a public host.");
        }

        if (allowedPorts.Count > 0 && !allowedPorts.Contains(url.Port))
        {
            throw Refused(RefusalReason.Other, "The image URL's port is not one that may be fetched.");
        }

        return url;
    }

    /// <summary>A single-label name (such as a Kubernetes service in the same namespace) or one under a cluster or cloud suffix.</summary>
    private static bool IsInternalName(Uri url)
    {
        if (url.HostNameType != UriHostNameType.Dns)
        {
            return false;
        }

        var host = url.IdnHost.TrimEnd('.');
        return !host.Contains('.', StringComparison.Ordinal)
            || InternalSuffixes.Any(suffix => host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase));
    }

    private ClassificationException Refused(string reason, string detail)
    {
        metrics.RecordRefused(reason);
        return Problems.UrlRefused.Failure(detail);
    }
}
