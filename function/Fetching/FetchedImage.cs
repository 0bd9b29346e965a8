namespace ImageClassifier.Fetching;

/// <summary>A downloaded image's bytes; disposing it gives back the memory they take.</summary>
public sealed class FetchedImage(ReadOnlyMemory<byte> bytes, IDisposable? owner = null) : IDisposable
{
    public ReadOnlyMemory<byte> Bytes { get; } = bytes;

    public void Dispose() => owner?.Dispose();
}
