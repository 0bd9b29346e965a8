using ImageClassifier.Edge;
using ImageClassifier.Hosting;
using ImageClassifier.Observability;
using ImageClassifier.Tests.Harness;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Tests.Hosting;

/// <summary>Kestrel's port and own limits, as the running app configures them: a stuck sender cannot hold a request slot.</summary>
public sealed class FunctionHostingTests
{
    [Fact]
    public async Task Kestrel_bounds_header_time_body_rate_and_body_size()
    {
        await using var app = new FunctionApp();
        var limits = app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;
        var bodies = app.Services.GetRequiredService<BodyLimits>();

        Assert.InRange(limits.RequestHeadersTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        Assert.NotNull(limits.MinRequestBodyDataRate);
        Assert.InRange(limits.MinRequestBodyDataRate.GracePeriod, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        Assert.Equal(bodies.Largest, limits.MaxRequestBodySize);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65536")]
    public void A_PORT_out_of_range_stops_the_start_with_a_message_naming_the_variable(string port)
    {
        using var app = new FakedFunctionApp(new Dictionary<string, string?> { ["PORT"] = port });

        var failure = Assert.Throws<OptionsValidationException>(() => app.Services);

        // "Port: PORT must …", and not METRICS_PORT's message, which ends the same way.
        Assert.Single(failure.Failures, message => message.EndsWith(" PORT must be between 1 and 65535.", StringComparison.Ordinal));
    }

    [Fact]
    public void PORT_is_bound_through_the_hosting_options_and_the_metrics_options_know_it()
    {
        using var app = new FakedFunctionApp(new Dictionary<string, string?> { ["PORT"] = "9000" });

        Assert.Equal(9000, app.Services.GetRequiredService<IOptions<ServingOptions>>().Value.Port);
        Assert.Equal(9000, app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value.ServingPort);
    }
}
