using System.Net.Sockets;
using System.Text;
using ImageClassifier.Tests.Harness;

namespace ImageClassifier.Tests.Integration;

/// <summary>
/// A body refused for its declared size is not read: the function answers 413 and the
/// connection is closed, rather than Kestrel draining what the caller goes on sending.
/// </summary>
public sealed class UnreadBodyTests
{
    private const int Limit = 1 << 20;

    [Fact]
    public async Task A_body_declared_over_the_limit_is_answered_413_and_the_rest_is_not_read()
    {
        await using var function = new FunctionApp(new Dictionary<string, string?> { ["FETCH_MAX_BYTES"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        await function.StartOnLoopbackAsync();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(function.BaseAddress.Host, function.BaseAddress.Port);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        const long Declared = 64L * Limit;

        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST / HTTP/1.1\r\nHost: {function.BaseAddress.Authority}\r\nContent-Type: image/jpeg\r\nContent-Length: {Declared}\r\n\r\n"));
        await stream.WriteAsync(new byte[4096]);
        var head = await ReadHeadAsync(stream);

        Assert.StartsWith("HTTP/1.1 413 ", head, StringComparison.Ordinal);
        Assert.Contains("Connection: close", head, StringComparison.OrdinalIgnoreCase);

        // Had Kestrel drained the body, it would read all 64 MiB of it; it closes the connection
        // instead, so the caller's writes fail long before the declared length is sent.
        var sent = 4096L;
        var chunk = new byte[64 * 1024];
        var refused = await Record.ExceptionAsync(async () =>
        {
            while (sent < Declared)
            {
                await stream.WriteAsync(chunk);
                sent += chunk.Length;
            }
        });
        Assert.IsAssignableFrom<IOException>(refused);
        Assert.True(sent < Declared, $"the whole declared body ({sent} bytes) was accepted");
    }

    private static async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var buffer = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(buffer) == 1)
        {
            head.Append((char)buffer[0]);
        }

        return head.ToString();
    }
}
