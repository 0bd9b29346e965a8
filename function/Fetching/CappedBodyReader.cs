using ImageClassifier.Failures;

namespace ImageClassifier.Fetching;

/// <summary>
/// Reads a response body into memory without ever holding more than FETCH_MAX_BYTES (+1 byte
/// to notice the excess), whatever Content-Length claims or a chunked body goes on to send.
/// </summary>
internal static class CappedBodyReader
{
    private const int UnknownLengthFirstBuffer = 81_920;

    public static async Task<ReadOnlyMemory<byte>> ReadAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        var declared = content.Headers.ContentLength;
        if (declared > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        var limit = maxBytes + 1L;
        var buffer = new byte[Math.Min((declared ?? UnknownLengthFirstBuffer) + 1, limit)];
        var length = 0;

        await using var body = await content.ReadAsStreamAsync(cancellationToken);
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length == limit)
                {
                    throw TooLarge(maxBytes);
                }

                Array.Resize(ref buffer, (int)Math.Min(buffer.Length * 2L, limit));
            }

            var read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                return buffer.AsMemory(0, length);
            }

            length += read;
        }
    }

    private static ClassificationException TooLarge(int maxBytes) =>
        Problems.ImageTooLarge.Failure($"The image is larger than the {maxBytes}-byte limit (FETCH_MAX_BYTES).");
}
