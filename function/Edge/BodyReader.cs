using ImageClassifier.Failures;

namespace ImageClassifier.Edge;

/// <summary>Reads a request body whole, refusing it once it is over a limit.</summary>
internal static class BodyReader
{
    private const int ChunkBytes = 64 * 1024;

    /// <summary>
    /// Checks Content-Length first, so an honest large body is refused before a byte of it is
    /// read, and counts while streaming, so a chunked body cannot get past the limit either.
    /// </summary>
    public static async Task<byte[]> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            throw PayloadTooLarge(limit);
        }

        try
        {
            return request.ContentLength is { } length
                ? await ReadExactlyAsync(request.Body, (int)length, cancellationToken)
                : await ReadToEndAsync(request.Body, limit, cancellationToken);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw PayloadTooLarge(limit);
        }
        catch (BadHttpRequestException e)
        {
            throw Problems.InvalidRequest.Failure("The request body could not be read.", e);
        }
    }

    private static ClassificationException PayloadTooLarge(long limit) =>
        Problems.PayloadTooLarge.Failure($"The request body is larger than {limit} bytes, the limit for its content type.");

    private static async Task<byte[]> ReadExactlyAsync(Stream body, int length, CancellationToken cancellationToken)
    {
        var buffer = new byte[length];
        try
        {
            await body.ReadExactlyAsync(buffer, cancellationToken);
        }
        catch (EndOfStreamException e)
        {
            throw Problems.InvalidRequest.Failure("The request body is shorter than its Content-Length.", e);
        }

        return buffer;
    }

    private static async Task<byte[]> ReadToEndAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream();
        var chunk = new byte[ChunkBytes];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (content.Length + read > limit)
            {
                throw PayloadTooLarge(limit);
            }

            content.Write(chunk, 0, read);
        }

        return content.ToArray();
    }
}
