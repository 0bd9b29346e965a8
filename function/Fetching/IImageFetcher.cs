using ImageClassifier.Failures;

namespace ImageClassifier.Fetching;

/// <summary>URL → bytes, with retries, the network guard and the size cap.</summary>
public interface IImageFetcher
{
    /// <summary>
    /// Downloads the image, into memory the caller gives back by disposing the result. Throws
    /// <see cref="ClassificationException"/> for a refused URL, an upstream 4xx, a body over the
    /// limit, an upstream that failed after retries, or the total timeout.
    /// </summary>
    Task<FetchedImage> FetchAsync(Uri url, CancellationToken cancellationToken);
}
