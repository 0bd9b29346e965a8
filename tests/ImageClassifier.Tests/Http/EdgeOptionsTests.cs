using ImageClassifier.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Tests.Http;

public class EdgeOptionsTests
{
    [Fact]
    public void A_structured_event_may_hold_the_largest_image_in_base64_with_its_envelope()
    {
        var options = new EdgeOptions { MaxRequestBytes = 1024, FetchMaxBytes = 3000 };

        Assert.Equal(4000 + 1024, options.MaxStructuredEventBytes);
        Assert.Equal(4000 + 1024, options.MaxBodyBytes);
    }

    [Fact]
    public void The_limits_are_read_from_the_environment_names()
    {
        var options = Resolve(new() { ["MAX_REQUEST_BYTES"] = "2048", ["FETCH_MAX_BYTES"] = "1000000" });

        Assert.Equal(2048, options.MaxRequestBytes);
        Assert.Equal(1_000_000, options.FetchMaxBytes);
    }

    [Theory]
    [InlineData("MAX_REQUEST_BYTES", "10")]
    [InlineData("FETCH_MAX_BYTES", "0")]
    public void A_bad_limit_is_refused_with_the_variable_named(string variable, string value)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Resolve(new() { [variable] = value }));

        Assert.Contains(variable, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reply_source_that_is_not_a_uri_reference_is_refused()
    {
        var services = Services(new() { ["CE_SOURCE"] = "not a uri" });

        var failure = Assert.Throws<OptionsValidationException>(
            () => services.GetRequiredService<IOptions<FunctionOptions>>().Value);

        Assert.Contains("CE_SOURCE", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_reply_source_is_a_uri_reference()
    {
        var options = Services([]).GetRequiredService<IOptions<FunctionOptions>>().Value;

        Assert.Equal(FunctionOptions.DefaultReplySource, options.CeSource);
    }

    private static EdgeOptions Resolve(Dictionary<string, string?> settings) =>
        Services(settings).GetRequiredService<IOptions<EdgeOptions>>().Value;

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddFunction(configuration).AddHttpEdge(configuration).BuildServiceProvider();
    }
}
