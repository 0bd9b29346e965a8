using ImageClassifier.Failures;
using ImageClassifier.Fetching;
using ImageClassifier.Tests.Harness;
using Microsoft.Extensions.DependencyInjection;

namespace ImageClassifier.Tests.Fetching;

public sealed class UrlPolicyTests : IDisposable
{
    private readonly ServiceProvider metrics = new ServiceCollection().AddMetrics().AddSingleton<FetchMetrics>().BuildServiceProvider();
    private readonly CounterRecorder counters;
    private readonly UrlPolicy anyPort;

    public UrlPolicyTests()
    {
        counters = new CounterRecorder(metrics);
        anyPort = Policy(new FetchOptions { AllowedPorts = "" });
    }

    public void Dispose()
    {
        counters.Dispose();
        metrics.Dispose();
    }

    [Theory]
    [InlineData("http://example.com/cat.jpg")]
    [InlineData("https://example.com/cat.jpg?size=large")]
    [InlineData("HTTP://EXAMPLE.COM/cat.jpg")]
    [InlineData("HtTpS://example.com:8443/cat.jpg")]
    [InlineData("http://[2606:4700::1111]/cat.jpg")]
    public void Accepts_an_absolute_http_or_https_url(string url)
    {
        var uri = new Uri(url);
        Assert.Same(uri, anyPort.Check(uri));
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://example.com/cat.jpg")]
    [InlineData("gopher://example.com:70/1")]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:image/png;base64,iVBORw0KGgo=")]
    [InlineData("http://user:secret@example.com/cat.jpg")]
    [InlineData("https://user@example.com/cat.jpg")]
    public void Refuses_other_schemes_and_credentials(string url)
    {
        var failure = Assert.Throws<ClassificationException>(() => anyPort.Check(new Uri(url)));
        Assert.Equal(Problems.UrlRefused, failure.Type);
        Assert.DoesNotContain("secret", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cat.jpg")]
    [InlineData("/images/cat.jpg")]
    [InlineData("//example.com/cat.jpg")]
    [InlineData("")]
    public void Calls_a_relative_or_empty_url_invalid(string url)
    {
        var failure = Assert.Throws<ClassificationException>(() => anyPort.Check(new Uri(url, UriKind.Relative)));
        Assert.Equal(Problems.InvalidUrl, failure.Type);
    }

    [Theory]
    [InlineData("http://example.com/cat.jpg", true)]
    [InlineData("https://example.com/cat.jpg", true)]
    [InlineData("http://example.com:8080/cat.jpg", true)]
    [InlineData("http://example.com:22/cat.jpg", false)]
    [InlineData("https://example.com:6379/cat.jpg", false)]
    public void Holds_to_the_port_allow_list_when_one_is_set(string url, bool allowed)
    {
        var policy = Policy(new FetchOptions { AllowedPorts = "80, 443,8080" });
        var uri = new Uri(url);

        if (allowed)
        {
            Assert.Same(uri, policy.Check(uri));
        }
        else
        {
            Assert.Equal(Problems.UrlRefused, Assert.Throws<ClassificationException>(() => policy.Check(uri)).Type);
        }
    }

    [Theory]
    [InlineData("ftp://example.com/cat.jpg", RefusalReason.Scheme)]
    [InlineData("file:///etc/passwd", RefusalReason.Scheme)]
    [InlineData("https://user:secret@example.com/cat.jpg", RefusalReason.Credentials)]
    [InlineData("https://example.com:8443/cat.jpg", RefusalReason.Other)]
    public void Counts_each_refusal_under_the_reason_it_was_refused_for(string url, string reason)
    {
        var policy = Policy(new FetchOptions { AllowedPorts = "443" });

        Assert.Throws<ClassificationException>(() => policy.Check(new Uri(url)));

        Assert.Equal(1, counters.Total("imageclassifier.fetch.refused", reason));
        Assert.Equal(1, counters.Total("imageclassifier.fetch.refused"));
    }

    [Theory]
    [InlineData("http://images/cat.jpg")]
    [InlineData("http://localhost/cat.jpg")]
    [InlineData("http://redis.default.svc/cat.jpg")]
    [InlineData("http://redis.default.svc.cluster.local./cat.jpg")]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/")]
    [InlineData("http://ip-10-0-0-1.ec2.internal/cat.jpg")]
    public void Refuses_cluster_internal_names_before_any_lookup_as_a_refused_address(string url)
    {
        var failure = Assert.Throws<ClassificationException>(() => anyPort.Check(new Uri(url)));

        Assert.Equal(Problems.UrlRefused, failure.Type);
        Assert.Equal("The image URL's host is not a public host.", failure.Message);
        Assert.Equal(1, counters.Total("imageclassifier.fetch.refused", RefusalReason.Address));
    }

    [Fact]
    public void Lets_internal_names_through_where_private_networks_are_allowed()
    {
        var policy = Policy(new FetchOptions { AllowedPorts = "", AllowPrivateNetworks = true });

        Assert.Equal("localhost", policy.Check(new Uri("http://localhost:8080/cat.jpg")).Host);
    }

    [Fact]
    public void The_default_ports_are_the_webs_own()
    {
        var policy = Policy(new FetchOptions());

        policy.Check(new Uri("http://example.com/cat.jpg"));
        policy.Check(new Uri("https://example.com/cat.jpg"));
        Assert.Equal(Problems.UrlRefused, Assert.Throws<ClassificationException>(() => policy.Check(new Uri("http://example.com:6379/"))).Type);
    }

    private UrlPolicy Policy(FetchOptions options) => new(options, metrics.GetRequiredService<FetchMetrics>());
}
