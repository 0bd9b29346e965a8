using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ImageClassifier.Tests.Harness;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Tests.Observability;

/// <summary>
/// METRICS_PORT: /metrics on that port only, on real sockets, nothing else there, and none of the
/// pod's other ports.
/// </summary>
[Collection(SerialMetricsTests.Name)]
public sealed class MetricsPortTests
{
    [Fact]
    public async Task With_METRICS_PORT_metrics_are_answered_there_only_and_the_serving_port_keeps_its_probes()
    {
        var (port, metricsPort) = (FreeLoopbackPort(), FreeLoopbackPort());
        await using var app = new FakedFunctionApp(new Dictionary<string, string?>
        {
            ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["METRICS_PORT"] = metricsPort.ToString(CultureInfo.InvariantCulture),
        });
        // Kestrel with the endpoints the function configures from PORT and METRICS_PORT.
        app.UseKestrel();
        app.StartServer();
        using var serving = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        using var metrics = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}/") };
        await Readiness.WaitAsync(serving, new Uri("readyz", UriKind.Relative));

        using var scraped = await metrics.GetAsync("metrics");
        using var notOnServing = await serving.GetAsync("metrics");
        using var probeOnMetrics = await metrics.GetAsync("readyz");
        using var liveOnServing = await serving.GetAsync("healthz");

        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        Assert.Contains("imageclassifier_model_info", await scraped.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, notOnServing.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, probeOnMetrics.StatusCode);
        Assert.Equal(HttpStatusCode.OK, liveOnServing.StatusCode);
    }

    [Theory]
    [InlineData("8012")]
    [InlineData("8022")]
    [InlineData("9090")]
    [InlineData("9091")]
    [InlineData("8080")]
    public void A_port_of_the_queue_proxy_or_the_serving_port_stops_the_start_with_a_message_naming_the_variable(string metricsPort)
    {
        using var app = new FakedFunctionApp(new Dictionary<string, string?> { ["PORT"] = "8080", ["METRICS_PORT"] = metricsPort });

        var failure = Assert.Throws<OptionsValidationException>(() => app.Services);

        Assert.Contains($"METRICS_PORT must not be {(metricsPort == "8080" ? "the serving port" : metricsPort)}", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_METRICS_PORT_empty_metrics_stay_on_the_serving_port()
    {
        await using var function = new FakedFunctionApp(new Dictionary<string, string?> { ["METRICS_PORT"] = "" });
        await function.StartOnLoopbackAsync();
        using var client = new HttpClient { BaseAddress = function.BaseAddress };

        using var scraped = await client.GetAsync("metrics");

        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
