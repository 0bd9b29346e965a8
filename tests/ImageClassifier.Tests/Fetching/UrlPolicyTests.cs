using ImageClassifier.Fetching;

namespace ImageClassifier.Tests.Fetching;

public class UrlPolicyTests
{
    private static readonly UrlPolicy AnyPort = new(new FetchOptions());

    [Theory]
    [InlineData("http://example.com/cat.jpg")]
    [InlineData("https://example.com/cat.jpg?size=large")]
    [InlineData("HTTP://EXAMPLE.COM/cat.jpg")]
    [InlineData("HtTpS://example.com:8443/cat.jpg")]
    [InlineData("http://[2606:4700::1111]/cat.jpg")]
    public void Accepts_an_absolute_http_or_https_url(string url)
    {
        var uri = new Uri(url);
        Assert.Same(uri, AnyPort.Check(uri));
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
        var failure = Assert.Throws<ClassificationException>(() => AnyPort.Check(new Uri(url)));
        Assert.Equal(FailureKind.UrlRefused, failure.Kind);
        Assert.Equal("url-refused", failure.Problem);
        Assert.DoesNotContain("secret", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cat.jpg")]
    [InlineData("/images/cat.jpg")]
    [InlineData("//example.com/cat.jpg")]
    [InlineData("")]
    public void Calls_a_relative_or_empty_url_invalid(string url)
    {
        var failure = Assert.Throws<ClassificationException>(() => AnyPort.Check(new Uri(url, UriKind.Relative)));
        Assert.Equal(FailureKind.BadRequest, failure.Kind);
        Assert.Equal("invalid-url", failure.Problem);
    }

    [Theory]
    [InlineData("http://example.com/cat.jpg", true)]
    [InlineData("https://example.com/cat.jpg", true)]
    [InlineData("http://example.com:8080/cat.jpg", true)]
    [InlineData("http://example.com:22/cat.jpg", false)]
    [InlineData("https://example.com:6379/cat.jpg", false)]
    public void Holds_to_the_port_allow_list_when_one_is_set(string url, bool allowed)
    {
        var policy = new UrlPolicy(new FetchOptions { AllowedPorts = "80, 443,8080" });
        var uri = new Uri(url);

        if (allowed)
        {
            Assert.Same(uri, policy.Check(uri));
        }
        else
        {
            Assert.Equal("url-refused", Assert.Throws<ClassificationException>(() => policy.Check(uri)).Problem);
        }
    }
}
