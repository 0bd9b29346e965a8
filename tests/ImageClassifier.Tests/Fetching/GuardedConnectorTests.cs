using System.Net;
using System.Net.Sockets;
using ImageClassifier.Fetching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Tests.Fetching;

public class GuardedConnectorTests
{
    [Fact]
    public void Accepts_an_answer_of_public_addresses_only() =>
        Connector(allowPrivate: false).EnsureAllowed([IPAddress.Parse("8.8.8.8"), IPAddress.Parse("2606:4700::1111")]);

    [Theory]
    [InlineData("8.8.8.8", "10.0.0.1")]
    [InlineData("2606:4700::1111", "::1")]
    [InlineData("169.254.169.254", "1.1.1.1")]
    public void Refuses_a_mixed_answer(string first, string second)
    {
        var connector = Connector(allowPrivate: false);
        Assert.Throws<AddressRefusedException>(() => connector.EnsureAllowed([IPAddress.Parse(first), IPAddress.Parse(second)]));
    }

    [Fact]
    public void Allows_private_addresses_when_configured_to() =>
        Connector(allowPrivate: true).EnsureAllowed([IPAddress.Loopback, IPAddress.Parse("10.0.0.1")]);

    [Fact]
    public void A_name_that_does_not_resolve_is_refused_as_a_private_one_is()
    {
        var unresolved = Assert.Throws<AddressRefusedException>(() => Connector(allowPrivate: false).EnsureAllowed([]));
        var refused = Assert.Throws<AddressRefusedException>(() => Connector(allowPrivate: false).EnsureAllowed([IPAddress.Parse("10.0.0.1")]));

        Assert.Equal(refused.Message, unresolved.Message);
    }

    [Fact]
    public void A_denied_range_is_refused_even_where_private_networks_are_allowed()
    {
        var connector = new GuardedConnector(
            Options.Create(new FetchOptions { AllowPrivateNetworks = true, DeniedCidrs = "127.0.0.0/8, fd00::/8" }), Metrics());

        Assert.Throws<AddressRefusedException>(() => connector.EnsureAllowed([IPAddress.Loopback]));
        Assert.Throws<AddressRefusedException>(() => connector.EnsureAllowed([IPAddress.Parse("fd00::1")]));
        connector.EnsureAllowed([IPAddress.Parse("10.0.0.1")]);
    }

    [Fact]
    public void A_refusal_is_found_inside_the_handler_wrapping()
    {
        var wrapped = new HttpRequestException("wrapped", new AddressRefusedException("refused"));
        Assert.True(AddressRefusedException.IsCauseOf(wrapped));
        Assert.False(AddressRefusedException.IsCauseOf(new HttpRequestException("wrapped", new SocketException())));
    }

    private static GuardedConnector Connector(bool allowPrivate) => new(Options.Create(new FetchOptions { AllowPrivateNetworks = allowPrivate }), Metrics());

    private static FetchMetrics Metrics() => new ServiceCollection().AddMetrics().AddSingleton<FetchMetrics>().BuildServiceProvider().GetRequiredService<FetchMetrics>();
}
