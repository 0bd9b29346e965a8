using System.Net;
using System.Net.Sockets;

namespace ImageClassifier.Fetching;

/// <summary>
/// Which addresses are on the public internet. Everything else (loopback, private, link-local,
/// carrier-grade NAT, documentation, benchmarking, multicast, reserved, cloud metadata and wire
/// servers, Teredo and the local-use NAT64 prefix) is where a server-side request forgery would
/// aim, so the fetcher refuses it. IPv6 forms that carry an IPv4 address (mapped, NAT64, 6to4) are
/// judged by the IPv4 address inside.
/// </summary>
internal static class NetworkGuard
{
    private static readonly IPNetwork[] RefusedIPv4 =
    [
        IPNetwork.Parse("0.0.0.0/8"),
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("100.64.0.0/10"),
        IPNetwork.Parse("127.0.0.0/8"),
        // Azure's wire server (DHCP, DNS, the guest agent's metadata), a public address only in name.
        IPNetwork.Parse("168.63.129.16/32"),
        IPNetwork.Parse("169.254.0.0/16"),
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.0.0.0/24"),
        IPNetwork.Parse("192.0.2.0/24"),
        IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"),
        IPNetwork.Parse("198.51.100.0/24"),
        IPNetwork.Parse("203.0.113.0/24"),
        IPNetwork.Parse("224.0.0.0/4"),
        IPNetwork.Parse("240.0.0.0/4"),
        IPNetwork.Parse("255.255.255.255/32"),
    ];

    private static readonly IPNetwork[] RefusedIPv6 =
    [
        // Unspecified (::), loopback (::1) and the deprecated IPv4-compatible form (::a.b.c.d).
        IPNetwork.Parse("::/96"),
        IPNetwork.Parse("fe80::/10"),
        IPNetwork.Parse("fc00::/7"),
        IPNetwork.Parse("fec0::/10"),
        IPNetwork.Parse("ff00::/8"),
        IPNetwork.Parse("2001:db8::/32"),
        // Teredo: the IPv4 address inside is obscured, so it cannot be judged.
        IPNetwork.Parse("2001::/32"),
        // The local-use NAT64 prefix (RFC 8215): translates into the operator's own network.
        IPNetwork.Parse("64:ff9b:1::/48"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");

    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    public static bool IsPublic(IPAddress address) => address.AddressFamily switch
    {
        AddressFamily.InterNetwork => !RefusedIPv4.Any(network => network.Contains(address)),
        AddressFamily.InterNetworkV6 => !RefusedIPv6.Any(network => network.Contains(address))
            && (EmbeddedIPv4(address) is not { } inner || IsPublic(inner)),
        _ => false,
    };

    private static IPAddress? EmbeddedIPv4(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        if (Nat64.Contains(address))
        {
            return new IPAddress(bytes.AsSpan(12, 4));
        }

        return SixToFour.Contains(address) ? new IPAddress(bytes.AsSpan(2, 4)) : null;
    }
}
