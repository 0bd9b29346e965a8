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
    private readonly IReadOnlyList<IPNetwork> denied = options.Value.DeniedNetworks;

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endPoint = context.DnsEndPoint;
        var addresses = await ResolveAsync(endPoint.Host, cancellationToken);
        EnsureAllowed(addresses);
        return await ConnectToFirstAsync(addresses, endPoint.Port, cancellationToken);
    }

    /// <summary>
    /// Refuses the whole answer if one address in it is refused (a mixed answer is a trick, not a
    /// mistake), or if there is none: a name that does not resolve is answered as one that resolves
    /// to a refused address, so the answers cannot tell which internal names exist.
    /// </summary>
    public void EnsureAllowed(IReadOnlyList<IPAddress> addresses)
    {
        if (addresses.Count == 0
            || addresses.Any(address => denied.Any(network => network.Contains(address)))
            || (!allowPrivateNetworks && !addresses.All(NetworkGuard.IsPublic)))
        {
            metrics.RecordRefused(RefusalReason.Address);
            throw new AddressRefusedException("The host does not resolve to a public address.");
        }
    }

    /// <summary>The host's addresses; none for a name that does not exist (transient lookup failures still throw, to be retried).</summary>
    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host.AsSpan().Trim("[]"), out var literal))
        {
            return [literal];
        }

        try
        {
            return await Dns.GetHostAddressesAsync(host, cancellationToken);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.HostNotFound or SocketError.NoData)
        {
            return [];
        }
    }

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
