using ImageClassifier.Edge;
using ImageClassifier.Fetching;
using ImageClassifier.Imaging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Tests.Edge;

public class EdgeOptionsTests
{
    [Fact]
    public void A_structured_event_may_hold_the_largest_image_in_base64_with_its_envelope()
    {
        var limits = new BodyLimits(Options.Create(new EdgeOptions { MaxRequestBytes = 1024 }), Options.Create(new ImagingOptions { MaxImageBytes = 3000 }));

        Assert.Equal(4000 + 1024, limits.StructuredEvent);
        Assert.Equal(4000 + 1024, limits.Largest);
    }

    [Fact]
    public void The_limits_are_read_from_the_environment_names()
    {
        var limits = Services(new() { ["MAX_REQUEST_BYTES"] = "2048", ["FETCH_MAX_BYTES"] = "1000000" }).GetRequiredService<BodyLimits>();

        Assert.Equal(2048, limits.Json);
        Assert.Equal(1_000_000, limits.Image);
    }

    [Theory]
    [InlineData("MAX_REQUEST_BYTES", "10")]
    [InlineData("FETCH_MAX_BYTES", "0")]
    public void A_bad_limit_is_refused_with_the_variable_named(string variable, string value)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Services(new() { [variable] = value }).GetRequiredService<BodyLimits>().Largest);

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

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddFunction(configuration).AddEdge(configuration).AddImageFetching(configuration).BuildServiceProvider();
    }
}
