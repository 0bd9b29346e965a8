using System.Threading.Channels;
using ImageClassifier.Fetching;

namespace ImageClassifier.Tests.Harness.Fakes;

/// <summary>
/// Holds every fetch until <see cref="Release"/> (or until the request is cancelled), and says
/// which URLs have reached it, so a test can fill the function's slots deterministically.
/// </summary>
public sealed class AdmissionGatedFetcher : IImageFetcher
{
    private readonly TaskCompletionSource gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Channel<Uri> Entered { get; } = Channel.CreateUnbounded<Uri>();

    public async Task<FetchedImage> FetchAsync(Uri url, CancellationToken cancellationToken)
    {
        Entered.Writer.TryWrite(url);
        await gate.Task.WaitAsync(cancellationToken);
        return new FetchedImage(new byte[] { 1, 2, 3 });
    }

    public void Release() => gate.TrySetResult();
}
