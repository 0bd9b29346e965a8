using System.Net;
using ImageClassifier.Fetching;

namespace ImageClassifier.Tests.Fetching;

public class NetworkGuardTests
{
    /// <summary>The first and last address of every refused IPv4 range.</summary>
    public static readonly TheoryData<string> RefusedIPv4 = new()
    {
        "0.0.0.0", "0.255.255.255",
        "10.0.0.0", "10.255.255.255",
        "100.64.0.0", "100.127.255.255",
        "127.0.0.1", "127.255.255.255",
        "169.254.0.0", "169.254.169.254",
        "172.16.0.0", "172.31.255.255",
        "192.0.0.0", "192.0.0.255",
        "192.0.2.0", "192.0.2.255",
        "192.168.0.0", "192.168.255.255",
        "198.18.0.0", "198.19.255.255",
        "198.51.100.0", "198.51.100.255",
        "203.0.113.0", "203.0.113.255",
        "224.0.0.0", "239.255.255.255",
        "240.0.0.0", "255.255.255.254",
        "255.255.255.255",
    };

    public static readonly TheoryData<string> RefusedIPv6 = new()
    {
        "::",
        "::1",
        "fe80::", "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        "fc00::", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        "fd00:ec2::254",
        "fec0::", "feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        "ff00::", "ff02::1",
        "2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff",
    };

    /// <summary>Just outside the refused ranges, and well-known public resolvers.</summary>
    public static readonly TheoryData<string> Public = new()
    {
        "8.8.8.8", "1.1.1.1",
        "1.0.0.0", "9.255.255.255", "11.0.0.0",
        "100.63.255.255", "100.128.0.0",
        "126.255.255.255", "128.0.0.0",
        "169.253.255.255", "169.255.0.0",
        "172.15.255.255", "172.32.0.0",
        "192.0.1.0", "192.0.3.0",
        "192.167.255.255", "192.169.0.0",
        "198.17.255.255", "198.20.0.0",
        "198.51.99.255", "198.51.101.0",
        "203.0.112.255", "203.0.114.0",
        "223.255.255.255",
        "2606:4700::1111", "2001:4860:4860::8888",
        "2001:db7:ffff::1", "2001:db9::1",
        "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1",
    };

    [Theory]
    [MemberData(nameof(RefusedIPv4))]
    public void Refuses_the_IPv4_address(string address) =>
        Assert.False(NetworkGuard.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [MemberData(nameof(RefusedIPv4))]
    public void Refuses_the_IPv4_address_mapped_to_IPv6(string address) =>
        Assert.False(NetworkGuard.IsPublic(IPAddress.Parse(address).MapToIPv6()));

    [Theory]
    [MemberData(nameof(RefusedIPv4))]
    public void Refuses_the_IPv4_address_behind_NAT64(string address) =>
        Assert.False(NetworkGuard.IsPublic(Embed("64:ff9b::", 12, address)));

    [Theory]
    [MemberData(nameof(RefusedIPv4))]
    public void Refuses_the_IPv4_address_in_6to4(string address) =>
        Assert.False(NetworkGuard.IsPublic(Embed("2002::", 2, address)));

    [Theory]
    [MemberData(nameof(RefusedIPv6))]
    public void Refuses_the_IPv6_address(string address) =>
        Assert.False(NetworkGuard.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [MemberData(nameof(Public))]
    public void Accepts_the_public_address(string address) =>
        Assert.True(NetworkGuard.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("64:ff9b::10.0.0.1")]
    [InlineData("2002:c0a8:0101::1")]
    [InlineData("::127.0.0.1")]
    public void Refuses_the_embedded_forms_as_written(string address) =>
        Assert.False(NetworkGuard.IsPublic(IPAddress.Parse(address)));

    private static IPAddress Embed(string prefix, int offset, string ipv4)
    {
        var bytes = IPAddress.Parse(prefix).GetAddressBytes();
        IPAddress.Parse(ipv4).GetAddressBytes().CopyTo(bytes, offset);
        return new IPAddress(bytes);
    }
}
