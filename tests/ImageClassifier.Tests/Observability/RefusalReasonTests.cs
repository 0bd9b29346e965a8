using ImageClassifier.Observability;

namespace ImageClassifier.Tests.Observability;

public class RefusalReasonTests
{
    [Theory]
    [InlineData("ftp://example.com/cat.jpg", RefusalReason.Scheme)]
    [InlineData("file:///etc/passwd", RefusalReason.Scheme)]
    [InlineData("https://user:secret@example.com/cat.jpg", RefusalReason.Credentials)]
    [InlineData("https://example.com:8443/cat.jpg", RefusalReason.Other)]
    public void Names_why_the_policy_refused_a_url(string url, string reason)
    {
        Assert.Equal(reason, RefusalReason.Of(new Uri(url)));
    }
}
