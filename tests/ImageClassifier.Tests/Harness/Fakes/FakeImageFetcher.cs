using System.Collections.Concurrent;
using ImageClassifier.Fetching;

namespace ImageClassifier.Tests.Harness.Fakes;

/// <summary>Answers every URL with the same bytes, or with the failure it was given, and records the URLs.</summary>
public sealed class FakeImageFetcher : IImageFetcher
{
    public ConcurrentQueue<Uri> Requested { get; } = new();

    public Exception? Failure { get; set; }

    /// <summary>Failures for particular URLs only, as when one image of a batch is missing.</summary>
    public ConcurrentDictionary<Uri, Exception> FailuresByUrl { get; } = new();

    public Task<FetchedImage> FetchAsync(Uri url, CancellationToken cancellationToken)
    {
        Requested.Enqueue(url);
        var failure = Failure ?? FailuresByUrl.GetValueOrDefault(url);
        return failure is null
            ? Task.FromResult(new FetchedImage(new byte[] { 1, 2, 3 }))
            : Task.FromException<FetchedImage>(failure);
    }
}
