using System.Net;
using System.Text;
using ImageClassifier.Tests.Harness;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ImageClassifier.Tests.Hosting;

/// <summary>What SIGTERM changes, in-process (the published process is signalled in Integration/).</summary>
public sealed class ShutdownTests : IDisposable
{
    private readonly FakedFunctionApp factory = new();

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task While_draining_readiness_and_new_requests_answer_503_with_retry_after()
    {
        // The drain waits on the host's fake clock, so it lasts until the test moves the clock on.
        using var draining = new FakedFunctionApp(new Dictionary<string, string?> { ["SHUTDOWN_DRAIN_SECONDS"] = "5" });
        using var client = await draining.CreateReadyClientAsync();

        draining.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

        using var readiness = await client.GetAsync("/readyz");
        using var refused = await client.PostAsync("/", new StringContent("""{"url": "https://example.com/cat.jpg"}""", Encoding.UTF8, "application/json"));
        using var liveness = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readiness.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        Assert.Contains("urn:image-classifier:problem:shutting-down", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, liveness.StatusCode);
        Assert.Empty(draining.Fetcher.Requested);

        ((FakeTimeProvider)draining.Services.GetRequiredService<TimeProvider>()).Advance(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void SHUTDOWN_TIMEOUT_SECONDS_sets_the_hosts_shutdown_timeout()
    {
        using var configured = factory.WithWebHostBuilder(builder => builder.UseSetting("SHUTDOWN_TIMEOUT_SECONDS", "12"));

        Assert.Equal(TimeSpan.FromSeconds(12), configured.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    [Fact]
    public void The_default_shutdown_timeout_is_below_knatives_30_second_grace_period()
    {
        Assert.InRange(factory.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(29));
    }

    [Fact]
    public void A_drain_as_long_as_the_timeout_stops_the_start_with_a_message_naming_the_variable()
    {
        using var configured = factory.WithWebHostBuilder(builder => builder
            .UseSetting("SHUTDOWN_TIMEOUT_SECONDS", "10")
            .UseSetting("SHUTDOWN_DRAIN_SECONDS", "10"));

        var failure = Assert.Throws<OptionsValidationException>(() => configured.Services);

        Assert.Contains("SHUTDOWN_DRAIN_SECONDS", failure.Message, StringComparison.Ordinal);
    }
}
