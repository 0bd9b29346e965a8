namespace ImageClassifier.MLflow.Client;

/// <summary>
/// An artifact URI served by the tracking server's artifact proxy, resolved as the Python
/// client's MlflowArtifactsRepository does: <c>mlflow-artifacts:/1/&lt;run&gt;/artifacts</c> becomes
/// <c>&lt;tracking URI&gt;/api/2.0/mlflow-artifacts/artifacts/1/&lt;run&gt;/artifacts</c>.
/// </summary>
/// <param name="ArtifactsEndpoint">The <c>…/api/2.0/mlflow-artifacts/artifacts</c> endpoint (listing takes <c>?path=</c>).</param>
/// <param name="RootPath">The artifact root under it, without leading or trailing slashes.</param>
public sealed record ArtifactLocation(Uri ArtifactsEndpoint, string RootPath)
{
    private const string ProxyScheme = "mlflow-artifacts:";
    private const string ProxyPath = "/mlflow-artifacts/artifacts";

    /// <summary>Resolves an <c>mlflow-artifacts:</c> URI, or an http(s) URL of the proxy, against the tracking URI.</summary>
    /// <exception cref="NotSupportedException">The artifacts are not served through the tracking server.</exception>
    public static ArtifactLocation Resolve(string artifactUri, Uri trackingRoot)
    {
        if (artifactUri.StartsWith(ProxyScheme, StringComparison.OrdinalIgnoreCase))
        {
            var rest = artifactUri[ProxyScheme.Length..];
            var authority = trackingRoot.Authority;
            if (rest.StartsWith("//", StringComparison.Ordinal))
            {
                // mlflow-artifacts://host:port/path names another host of the same scheme.
                var slash = rest.IndexOf('/', 2);
                authority = slash < 0 ? rest[2..] : rest[2..slash];
                rest = slash < 0 ? string.Empty : rest[slash..];
            }

            var root = trackingRoot.Scheme + "://" + authority + trackingRoot.AbsolutePath.TrimEnd('/') + "/api/2.0" + ProxyPath;
            return new ArtifactLocation(new Uri(root), rest.Trim('/'));
        }

        if (Uri.TryCreate(artifactUri, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
        {
            var at = url.AbsoluteUri.IndexOf(ProxyPath, StringComparison.Ordinal);
            if (at >= 0)
            {
                return new ArtifactLocation(new Uri(url.AbsoluteUri[..(at + ProxyPath.Length)]),
                    Uri.UnescapeDataString(url.AbsoluteUri[(at + ProxyPath.Length)..]).Trim('/'));
            }
        }

        throw new NotSupportedException(
            $"The artifact URI {artifactUri} is not served by the tracking server: run the server with artifact proxying (mlflow server --serve-artifacts).");
    }

    /// <summary>The URL of one file under the root.</summary>
    public Uri FileUrl(string relativePath) => new(ArtifactsEndpoint.AbsoluteUri + "/" + Escape(Join(RootPath, relativePath)));

    /// <summary>The listing URL of a directory under the root (the root itself for an empty path).</summary>
    public Uri ListUrl(string relativePath) =>
        new(ArtifactsEndpoint.AbsoluteUri + "?path=" + Uri.EscapeDataString(Join(RootPath, relativePath)));

    private static string Join(string root, string relative) =>
        string.Join('/', new[] { root, relative.Trim('/') }.Where(part => part.Length > 0));

    private static string Escape(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
}
