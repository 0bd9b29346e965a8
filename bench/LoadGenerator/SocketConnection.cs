using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ImageClassifier.LoadGenerator;

/// <summary>
/// A loop's own keep-alive socket (<c>--client socket</c>): the request's bytes are built once and
/// written as they are, and of the answer only the status line and the headers that frame it are
/// read. It costs a fraction of HttpClient's CPU per answer, which matters when the client shares
/// the server's cores: what the client spends, the server under test does not get.
/// </summary>
public sealed class SocketConnection(Uri target, ReadOnlyMemory<byte> request, TimeSpan timeout) : ILoadConnection
{
    /// <summary>An answer's status line and headers must fit; the function's are well under 1 KiB.</summary>
    public const int MaxHeadBytes = 16 * 1024;

    private readonly byte[] buffer = new byte[MaxHeadBytes];
    private Socket? socket;
    private int start;
    private int end;

    /// <summary>The whole request, head and body, as it goes on the wire.</summary>
    public static byte[] BuildRequest(LoadPlan plan)
    {
        var head = string.Create(
            CultureInfo.InvariantCulture,
            $"POST {plan.Target.PathAndQuery} HTTP/1.1\r\nHost: {plan.Target.Authority}\r\nContent-Type: {plan.ContentType}\r\nContent-Length: {plan.Body.Length}\r\n\r\n");
        return [.. Encoding.ASCII.GetBytes(head), .. plan.Body.Span];
    }

    public async ValueTask<LoadAnswer> SendAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            socket ??= await ConnectAsync(deadline.Token);
            for (var sent = 0; sent < request.Length;)
            {
                sent += await socket.SendAsync(request[sent..], SocketFlags.None, deadline.Token);
            }

            var head = await ReadHeadAsync(deadline.Token);
            await SkipBodyAsync(head, deadline.Token);
            if (head.Close)
            {
                Disconnect();
            }

            return LoadAnswer.Answered(head.Status, head.HasRetryAfter);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Disconnect();
            return LoadAnswer.Failed("Timeout");
        }
        catch (SocketException e)
        {
            Disconnect();
            return LoadAnswer.Failed(e.SocketErrorCode.ToString());
        }
        catch (InvalidDataException)
        {
            Disconnect();
            return LoadAnswer.Failed("InvalidResponse");
        }
    }

    public ValueTask DisposeAsync()
    {
        Disconnect();
        return ValueTask.CompletedTask;
    }

    private async Task<Socket> ConnectAsync(CancellationToken cancellationToken)
    {
        var connecting = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await connecting.ConnectAsync(new IPEndPoint(IPAddress.Loopback, target.Port), cancellationToken);
            return connecting;
        }
        catch
        {
            connecting.Dispose();
            throw;
        }
    }

    private void Disconnect()
    {
        socket?.Dispose();
        socket = null;
        start = end = 0;
    }

    private async ValueTask<ResponseHead> ReadHeadAsync(CancellationToken cancellationToken)
    {
        int length;
        while ((length = buffer.AsSpan(start, end - start).IndexOf("\r\n\r\n"u8)) < 0)
        {
            await FillAsync(cancellationToken);
        }

        var head = ResponseHead.Parse(buffer.AsSpan(start, length));
        start += length + 4;
        return head;
    }

    private async ValueTask SkipBodyAsync(ResponseHead head, CancellationToken cancellationToken)
    {
        if (head.ContentLength is { } contentLength)
        {
            await SkipAsync(contentLength, cancellationToken);
        }
        else if (head.Chunked)
        {
            long size;
            while ((size = ParseChunkSize(await ReadLineAsync(cancellationToken))) > 0)
            {
                await SkipAsync(size + 2, cancellationToken);
            }

            while (!buffer.AsSpan(await ReadLineAsync(cancellationToken)).IsEmpty)
            {
                // Trailer fields, up to the empty line that ends the answer.
            }
        }
        else if (head.Status is not (204 or 304) && head.Status >= 200)
        {
            throw new InvalidDataException("An answer framed by closing the connection is not supported.");
        }
    }

    /// <summary>Consumes one line and returns where it is in the buffer, without its CRLF (valid until the next receive).</summary>
    private async ValueTask<Range> ReadLineAsync(CancellationToken cancellationToken)
    {
        int length;
        while ((length = buffer.AsSpan(start, end - start).IndexOf("\r\n"u8)) < 0)
        {
            await FillAsync(cancellationToken);
        }

        var line = new Range(start, start + length);
        start += length + 2;
        return line;
    }

    private long ParseChunkSize(Range lineRange)
    {
        var line = buffer.AsSpan(lineRange);
        var extension = line.IndexOf((byte)';');
        return Utf8Parser.TryParse(extension < 0 ? line : line[..extension], out long size, out _, 'x') && size >= 0
            ? size
            : throw new InvalidDataException("A chunk size is not hexadecimal.");
    }

    private async ValueTask SkipAsync(long count, CancellationToken cancellationToken)
    {
        while (true)
        {
            var taken = (int)Math.Min(count, end - start);
            start += taken;
            count -= taken;
            if (count == 0)
            {
                return;
            }

            await FillAsync(cancellationToken);
        }
    }

    /// <summary>Receives more bytes after the unread ones, moving those to the front first.</summary>
    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (start > 0)
        {
            buffer.AsSpan(start, end - start).CopyTo(buffer);
            end -= start;
            start = 0;
        }

        if (end == buffer.Length)
        {
            throw new InvalidDataException($"An answer's head or chunk line is over {MaxHeadBytes} bytes.");
        }

        var received = await socket!.ReceiveAsync(buffer.AsMemory(end), SocketFlags.None, cancellationToken);
        end += received > 0 ? received : throw new SocketException((int)SocketError.ConnectionReset);
    }

    /// <summary>What an answer's head says about its status and framing.</summary>
    private readonly record struct ResponseHead(int Status, long? ContentLength, bool Chunked, bool Close, bool HasRetryAfter)
    {
        public static ResponseHead Parse(ReadOnlySpan<byte> head)
        {
            // "HTTP/1.1 503 Service Unavailable": the version, then the three status digits.
            if (head.Length < 12 || !head.StartsWith("HTTP/1."u8) || !Utf8Parser.TryParse(head.Slice(9, 3), out int status, out _))
            {
                throw new InvalidDataException("The answer does not start with an HTTP/1.x status line.");
            }

            var parsed = new ResponseHead(status, null, false, head[7] == (byte)'0', false);
            var rest = head;
            while (rest.IndexOf("\r\n"u8) is var next and >= 0)
            {
                rest = rest[(next + 2)..];
                var stop = rest.IndexOf("\r\n"u8);
                parsed = parsed.With(stop < 0 ? rest : rest[..stop]);
            }

            return parsed;
        }

        private ResponseHead With(ReadOnlySpan<byte> line)
        {
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                throw new InvalidDataException("A header line has no name.");
            }

            var name = line[..colon];
            var value = line[(colon + 1)..].Trim(" \t"u8);
            if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
            {
                return Utf8Parser.TryParse(value, out long length, out var used) && used == value.Length && length >= 0
                    ? this with { ContentLength = length }
                    : throw new InvalidDataException("Content-Length is not a length.");
            }

            if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
            {
                return this with { Chunked = Ascii.EqualsIgnoreCase(value, "chunked"u8) };
            }

            if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
            {
                return this with { Close = Close || Ascii.EqualsIgnoreCase(value, "close"u8) };
            }

            return Ascii.EqualsIgnoreCase(name, "Retry-After"u8) ? this with { HasRetryAfter = true } : this;
        }
    }
}
