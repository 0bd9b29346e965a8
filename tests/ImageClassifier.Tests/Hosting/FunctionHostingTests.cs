using ImageClassifier.Edge;
using ImageClassifier.Tests.Harness;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Tests.Hosting;

/// <summary>Kestrel's own limits, as the running app configures them: a stuck sender cannot hold a request slot.</summary>
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
}
