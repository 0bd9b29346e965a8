namespace ImageClassifier.Imaging;

/// <summary>
/// The image's bytes as the decoder reads them: read-only, without the metadata ranges the header
/// reader hid, and checking the deadline on every read, so a decoder busy with a crafted file is
/// stopped the next time it asks for bytes. Once the deadline has passed, or the request is
/// cancelled, it reads as the end of the file, and the decoder gives up with what it has.
/// </summary>
internal sealed class DecoderInput : Stream
{
    private readonly ReadOnlyMemory<byte> content;
    private readonly Range[] shown;
    private readonly DecodeDeadline deadline;
    private readonly long[] starts;
    private readonly long length;
    private long position;

    public DecoderInput(ReadOnlyMemory<byte> content, IReadOnlyList<Range> hidden, DecodeDeadline deadline)
    {
        this.content = content;
        this.deadline = deadline;
        shown = HiddenRanges.Shown(content.Length, hidden);
        starts = new long[shown.Length];
        for (var i = 0; i < shown.Length; i++)
        {
            starts[i] = length;
            length += shown[i].GetOffsetAndLength(content.Length).Length;
        }
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => position;
        set => position = Math.Clamp(value, 0, length);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        // Called from the codec's native code, through which no exception may pass: a cancelled
        // request ends the input like a passed deadline, and the loader throws once the codec returns.
        if (deadline.CancellationToken.IsCancellationRequested || deadline.Passed)
        {
            return 0;
        }

        var written = 0;
        while (written < buffer.Length && position < length)
        {
            // The shown range holding the position: the last whose start in the stream is not after it.
            var index = Array.BinarySearch(starts, position);
            index = index >= 0 ? index : ~index - 1;
            var (start, count) = shown[index].GetOffsetAndLength(content.Length);
            var within = (int)(position - starts[index]);
            var take = Math.Min(count - within, buffer.Length - written);
            content.Span.Slice(start + within, take).CopyTo(buffer[written..]);
            written += take;
            position += take;
        }

        return written;
    }

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => position + offset,
        _ => length + offset,
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
