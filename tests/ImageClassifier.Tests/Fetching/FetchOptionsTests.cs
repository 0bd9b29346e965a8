using ImageClassifier.Fetching;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Tests.Fetching;

public class FetchOptionsTests
{
    [Fact]
    public void Defaults_are_the_documented_ones()
    {
        var options = Bind([]);

        Assert.Equal(TimeSpan.FromSeconds(15), options.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(10), options.AttemptTimeout);
        Assert.Equal(2, options.MaxRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(200), options.RetryDelay);
        Assert.False(options.AllowPrivateNetworks);
        Assert.Equal(new HashSet<int> { 80, 443 }, options.AllowedPortSet);
        Assert.Empty(options.DeniedNetworks());
    }

    [Fact]
    public void Reads_the_environment_names()
    {
        var options = Bind(new()
        {
            ["FETCH_TIMEOUT_SECONDS"] = "30",
            ["FETCH_ATTEMPT_TIMEOUT_SECONDS"] = "7",
            ["FETCH_MAX_RETRIES"] = "0",
            ["FETCH_RETRY_DELAY_MS"] = "50",
            ["FETCH_ALLOW_PRIVATE_NETWORKS"] = "true",
            ["FETCH_ALLOWED_PORTS"] = "443, 8443",
        });

        Assert.Equal(TimeSpan.FromSeconds(30), options.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(7), options.AttemptTimeout);
        Assert.Equal(0, options.MaxRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(50), options.RetryDelay);
        Assert.True(options.AllowPrivateNetworks);
        Assert.Equal([443, 8443], options.AllowedPortSet.Order());
    }

    [Fact]
    public void The_default_attempt_timeout_never_exceeds_a_short_total()
    {
        Assert.Equal(TimeSpan.FromSeconds(4), Bind(new() { ["FETCH_TIMEOUT_SECONDS"] = "4" }).AttemptTimeout);
    }

    [Theory]
    [InlineData("FETCH_TIMEOUT_SECONDS", "0")]
    [InlineData("FETCH_ATTEMPT_TIMEOUT_SECONDS", "0")]
    [InlineData("FETCH_ATTEMPT_TIMEOUT_SECONDS", "16")]
    [InlineData("FETCH_MAX_RETRIES", "-1")]
    [InlineData("FETCH_RETRY_DELAY_MS", "-5")]
    [InlineData("FETCH_ALLOWED_PORTS", "80,http")]
    [InlineData("FETCH_ALLOWED_PORTS", "0")]
    [InlineData("FETCH_ALLOWED_PORTS", "65536")]
    [InlineData("FETCH_DENIED_CIDRS", "10.0.0.0/33")]
    [InlineData("FETCH_DENIED_CIDRS", "not-a-network")]
    public void A_bad_value_is_refused_with_a_message_naming_the_variable(string name, string value)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind(new() { [name] = value }));
        Assert.Contains(name, failure.Message, StringComparison.Ordinal);
    }

    private static FetchOptions Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection().AddImageFetching(configuration).BuildServiceProvider();
        return provider.GetRequiredService<IOptions<FetchOptions>>().Value;
    }
}
