using Microsoft.Net.Http.Headers;

namespace ImageClassifier.Ui;

/// <summary>
/// Serves the try page on GET / to a client that prefers HTML, and its files under /ui/. It only
/// ever sees GET requests (see <see cref="TryPageExtensions.UseTryPage"/>); anything it does not
/// serve goes on unchanged, so every other GET / gets the function's usual answer.
/// </summary>
internal sealed class TryPageMiddleware(RequestDelegate next, TryPageAssets assets)
{
    /// <summary>
    /// The page's own files only, no inline script or style; images from the page itself, a
    /// chosen file (blob:) or data: URLs; replies from the function itself; never framed.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? string.Empty;
        var asset = path == TryPageAssets.PagePath
            ? PrefersHtml(request) ? assets.Page : null
            : assets.FindAsset(path);
        return asset is null ? next(context) : ServeAsync(context, asset, varyByAccept: path == TryPageAssets.PagePath);
    }

    /// <summary>
    /// Whether text/html, named as such (not through a wildcard), has the highest quality in
    /// Accept. A browser's navigation does; curl's */* and an API client's application/json do not.
    /// </summary>
    internal static bool PrefersHtml(HttpRequest request)
    {
        double html = 0, other = 0;
        foreach (var type in request.GetTypedHeaders().Accept)
        {
            var quality = type.Quality ?? 1;
            if (type.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase))
            {
                html = Math.Max(html, quality);
            }
            else
            {
                other = Math.Max(other, quality);
            }
        }

        return html > 0 && html >= other;
    }

    private static Task ServeAsync(HttpContext context, TryPageAsset asset, bool varyByAccept)
    {
        var response = context.Response;
        var headers = response.GetTypedHeaders();
        headers.ETag = asset.ETag;

        // Revalidated on each use (a cheap 304), so a new deployment's page is seen at once.
        headers.CacheControl = new CacheControlHeaderValue { NoCache = true };
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        if (varyByAccept)
        {
            response.Headers.Vary = HeaderNames.Accept;
        }

        if (Matches(context.Request.GetTypedHeaders().IfNoneMatch, asset.ETag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = asset.ContentType;
        response.ContentLength = asset.Content.Length;
        return response.Body.WriteAsync(asset.Content, context.RequestAborted).AsTask();
    }

    /// <summary>If-None-Match uses the weak comparison (RFC 9110, 13.1.2).</summary>
    private static bool Matches(IList<EntityTagHeaderValue> ifNoneMatch, EntityTagHeaderValue etag) =>
        ifNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(etag, useStrongComparison: false));
}
