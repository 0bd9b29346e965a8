using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Fetching;

/// <summary>
/// The <see cref="SocketsHttpHandler.ConnectCallback"/> of the image client: resolves the host
/// once, refuses it if any answer is not public, and connects to exactly the addresses it
/// checked, so a DNS answer that changes between check and connect (rebinding) cannot slip
/// through.
/// </summary>
internal sealed class GuardedConnector(IOptions<FetchOptions> options, FetchMetrics metrics)
{
    private readonly bool allowPrivateNetworks = options.Value.AllowPrivateNetworks;

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endPoint = context.DnsEndPoint;
        var addresses = await ResolveAsync(endPoint.Host, cancellationToken);
        EnsureAllowed(addresses);
        return await ConnectToFirstAsync(addresses, endPoint.Port, cancellationToken);
    }

    /// <summary>Refuses the whole answer if one address in it is refused: a mixed answer is a trick, not a mistake.</summary>
    public void EnsureAllowed(IReadOnlyList<IPAddress> addresses)
    {
        if (addresses.Count == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        if (!allowPrivateNetworks && !addresses.All(NetworkGuard.IsPublic))
        {
            metrics.RecordRefused(RefusalReason.Address);
            throw new AddressRefusedException("The host resolves to an address that is not public.");
        }
    }

    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        IPAddress.TryParse(host.AsSpan().Trim("[]"), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);

    /// <summary>Tries each checked address in turn; the last one's failure is the answer.</summary>
    private static async Task<Stream> ConnectToFirstAsync(IPAddress[] addresses, int port, CancellationToken cancellationToken)
    {
        for (var i = 0; ; i++)
        {
            var target = addresses[i].IsIPv4MappedToIPv6 ? addresses[i].MapToIPv4() : addresses[i];
            var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(target, port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException) when (i < addresses.Length - 1)
            {
                socket.Dispose();
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
    }
}
