using ImageClassifier.Tests.Harness;
using Microsoft.AspNetCore.Http;

namespace ImageClassifier.Tests.Observability;

/// <summary>With OTEL_EXPORTER_OTLP_ENDPOINT set, spans are exported by OTLP (to a loopback stand-in collector).</summary>
public sealed class OtlpExportTests : IAsyncLifetime
{
    private LoopbackServer collector = null!;
    private FunctionApp app = null!;

    public async Task InitializeAsync()
    {
        collector = await LoopbackServer.StartAsync(context =>
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            return Task.CompletedTask;
        });
        app = new FunctionApp(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.BaseAddress.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
        });
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await collector.DisposeAsync();
    }

    [Fact]
    public async Task Spans_of_a_request_reach_the_collector()
    {
        using var client = await app.CreateReadyClientAsync();

        using var response = await client.PostAsync(new Uri("/", UriKind.Relative), Replies.ImageContent("coffee.png"));

        await Replies.ReadEventAsync(response);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (collector.Hits("/v1/traces") == 0)
        {
            await Task.Delay(50, timeout.Token);
        }
    }
}
