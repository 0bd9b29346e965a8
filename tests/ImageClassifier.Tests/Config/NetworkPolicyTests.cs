using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text.Json.Nodes;
using ImageClassifier.Fetching;

namespace ImageClassifier.Tests.Config;

/// <summary>
/// config/network-policy.yaml against the Service it guards and the function's own network
/// guard: it selects the Service's pods, and its public egress is the guard's, range for range.
/// </summary>
public class NetworkPolicyTests
{
    private readonly JsonNode _policy = Assert.Single(YamlJson.Load(Manifests.NetworkPolicy));

    private JsonNode Spec => _policy["spec"]!;

    /// <summary>The rule that reaches the internet: the one whose peers are IP blocks.</summary>
    private JsonNode PublicRule => Assert.Single(Spec["egress"]!.AsArray(), rule => rule!["to"]!.AsArray().Any(peer => peer!["ipBlock"] is not null))!;

    private IEnumerable<JsonNode> IPBlocks => PublicRule["to"]!.AsArray().Select(peer => peer!["ipBlock"]!);

    [Fact]
    public void Selects_the_Knative_Services_pods_and_limits_their_egress_only()
    {
        var service = Assert.Single(YamlJson.Load(Manifests.Service));
        var (label, value) = Assert.Single(Spec["podSelector"]!["matchLabels"]!.AsObject());

        // Knative labels every pod of every revision with the name of its Service.
        Assert.Equal("serving.knative.dev/service", label);
        Assert.Equal((string?)service["metadata"]!["name"], (string?)value);
        Assert.Null(Spec["podSelector"]!["matchExpressions"]);
        Assert.Equal(["Egress"], Spec["policyTypes"]!.AsArray().Select(type => (string?)type));
        Assert.Null(Spec["ingress"]);
    }

    /// <summary>
    /// Every range the guard refuses is excepted, and nothing the guard lets the function fetch
    /// is. The guard keeps its ranges private; they are read from it rather than copied here.
    /// </summary>
    [Fact]
    public void Its_except_lists_are_the_ranges_the_network_guard_refuses()
    {
        var refused = typeof(NetworkGuard).GetFields(BindingFlags.NonPublic | BindingFlags.Static)
            .Where(field => field.FieldType == typeof(IPNetwork[]))
            .SelectMany(field => (IPNetwork[])field.GetValue(null)!)
            .ToArray();
        var excepted = IPBlocks.SelectMany(block => block["except"]!.AsArray()).Select(cidr => IPNetwork.Parse((string)cidr!)).ToArray();

        Assert.Contains(refused, range => range.BaseAddress.AddressFamily == AddressFamily.InterNetwork);
        Assert.Contains(refused, range => range.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6);
        Assert.All(refused, range => Assert.True(excepted.Any(except => Covers(except, range)), $"The guard refuses {range}, which the policy lets through."));
        Assert.All(excepted, except => Assert.True(refused.Any(range => Covers(range, except)), $"The policy blocks {except}, which the guard lets the function fetch."));
    }

    [Fact]
    public void The_internet_is_reachable_on_the_ports_the_function_fetches_from()
    {
        var allowed = Manifests.EnvOf(Manifests.Service)["FETCH_ALLOWED_PORTS"]!.Split(',').Select(port => int.Parse(port, System.Globalization.CultureInfo.InvariantCulture));
        var ports = PublicRule["ports"]!.AsArray();

        Assert.All(ports, port => Assert.Equal("TCP", (string?)port!["protocol"]));
        Assert.Equal(allowed.Order(), ports.Select(port => (int)port!["port"]!.GetValue<long>()).Order());
        Assert.Equal(["0.0.0.0/0", "::/0"], IPBlocks.Select(block => (string?)block["cidr"]));
    }

    [Fact]
    public void The_other_rule_is_DNS_to_the_cluster_resolver()
    {
        var dns = Assert.Single(Spec["egress"]!.AsArray(), rule => rule != PublicRule)!;
        var peer = Assert.Single(dns["to"]!.AsArray())!;

        Assert.Equal("kube-system", (string?)peer["namespaceSelector"]!["matchLabels"]!["kubernetes.io/metadata.name"]);
        Assert.Equal("kube-dns", (string?)peer["podSelector"]!["matchLabels"]!["k8s-app"]);
        Assert.Equal(
            ["TCP 53", "UDP 53"],
            dns["ports"]!.AsArray().Select(port => $"{port!["protocol"]} {port["port"]}").Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// As the API server validates an IP block: each CIDR well formed with no host bits (in the
    /// canonical spelling newer servers require), and each exception strictly inside its block.
    /// </summary>
    [Fact]
    public void Every_CIDR_is_one_the_API_server_accepts()
    {
        foreach (var block in IPBlocks)
        {
            var cidr = Canonical((string)block["cidr"]!);
            foreach (var except in block["except"]!.AsArray().Select(text => Canonical((string)text!)))
            {
                Assert.True(Covers(cidr, except) && except.PrefixLength > cidr.PrefixLength, $"{except} is not strictly inside {cidr}.");
            }
        }
    }

    private static IPNetwork Canonical(string text)
    {
        Assert.True(IPNetwork.TryParse(text, out var network), $"{text} is not a CIDR without host bits.");
        Assert.Equal(network.ToString(), text);
        return network;
    }

    /// <summary>Whether <paramref name="outer"/> holds every address of <paramref name="inner"/>.</summary>
    private static bool Covers(IPNetwork outer, IPNetwork inner) =>
        outer.BaseAddress.AddressFamily == inner.BaseAddress.AddressFamily
        && outer.PrefixLength <= inner.PrefixLength
        && outer.Contains(inner.BaseAddress);
}
