using System.Buffers.Binary;

namespace ImageClassifier.Imaging;

/// <summary>
/// The chunks of a WebP (or of an animation frame), walked in place. Sizes are the sender's: a
/// chunk's data is cut at the end of the bytes, and the walk adds in long, since a size near
/// 4 GiB wraps a uint sum to 0 and the walk would never end.
/// </summary>
internal ref struct WebpChunks
{
    public const int HeaderBytes = 8;

    private readonly ReadOnlySpan<byte> bytes;
    private long next;

    /// <param name="bytes">The chunks, from <paramref name="start"/> (12 in a file, after the RIFF header).</param>
    /// <param name="start">Where the first chunk starts.</param>
    public WebpChunks(ReadOnlySpan<byte> bytes, int start)
    {
        this.bytes = bytes;
        next = start;
    }

    public WebpChunk Current { get; private set; }

    public readonly WebpChunks GetEnumerator() => this;

    public bool MoveNext()
    {
        if (next + HeaderBytes > bytes.Length)
        {
            return false;
        }

        var at = (int)next;
        var size = BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(at + 4, 4));
        var data = bytes.Slice(at + HeaderBytes, (int)Math.Min(size, bytes.Length - next - HeaderBytes));
        Current = new WebpChunk(bytes.Slice(at, 4), size, data);

        // Chunks are padded to an even length.
        next += HeaderBytes + (long)size + (size & 1);
        return true;
    }
}

/// <summary>One chunk: its type, the size it declares, and as much of its data as the bytes hold.</summary>
internal readonly ref struct WebpChunk
{
    public WebpChunk(ReadOnlySpan<byte> type, uint size, ReadOnlySpan<byte> data)
    {
        Type = type;
        Size = size;
        Data = data;
    }

    public ReadOnlySpan<byte> Type { get; }

    public uint Size { get; }

    public ReadOnlySpan<byte> Data { get; }

    /// <summary>The declared size runs past the end of the bytes.</summary>
    public bool Truncated => Data.Length < Size;

    public bool Is(ReadOnlySpan<byte> fourCc) => Type.SequenceEqual(fourCc);

    /// <summary>ALPH, VP8 or VP8L: the chunks that carry a still image's pixels.</summary>
    public bool HoldsPixels => Is("ALPH"u8) || Is("VP8 "u8) || Is("VP8L"u8);
}
