using System.Collections.Concurrent;
using ImageClassifier.Fetching;

namespace ImageClassifier.Tests.Http;

/// <summary>Answers every URL with the same bytes, or with the failure it was given, and records the URLs.</summary>
public sealed class FakeImageFetcher : IImageFetcher
{
    public ConcurrentQueue<Uri> Requested { get; } = new();

    public Exception? Failure { get; set; }

    public Task<ReadOnlyMemory<byte>> FetchAsync(Uri url, CancellationToken cancellationToken)
    {
        Requested.Enqueue(url);
        return Failure is null
            ? Task.FromResult<ReadOnlyMemory<byte>>(new byte[] { 1, 2, 3 })
            : Task.FromException<ReadOnlyMemory<byte>>(Failure);
    }
}
