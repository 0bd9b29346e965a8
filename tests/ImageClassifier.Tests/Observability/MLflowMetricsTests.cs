using System.Net;
using ImageClassifier.Tests.Harness;
using ImageClassifier.Tests.MLflow;

namespace ImageClassifier.Tests.Observability;

/// <summary>MLflow tracking's own counters reach /metrics beside the function's.</summary>
[Collection(SerialMetricsTests.Name)]
public sealed class MLflowMetricsTests : IAsyncLifetime
{
    private MLflowStandIn mlflow = null!;

    public async Task InitializeAsync() => mlflow = await MLflowStandIn.StartAsync();

    public async Task DisposeAsync() => await mlflow.DisposeAsync();

    [Fact]
    public async Task A_prediction_logged_to_MLflow_is_counted_on_the_metrics_endpoint()
    {
        await using var function = await FunctionApp.StartAsync(new Dictionary<string, string?>
        {
            ["MLFLOW_TRACKING_URI"] = mlflow.BaseAddress.AbsoluteUri,
            ["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] = "0",
        });
        var before = PrometheusText.Parse(await function.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative)));

        using var response = await function.Client.PostAsync(new Uri("/", UriKind.Relative), Replies.ImageContent("chelsea.png"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await mlflow.WaitForAsync(calls => calls.Any(call => call.Path.EndsWith("/runs/update", StringComparison.Ordinal)));

        var after = await WaitForAsync(function.Client, metrics => metrics.Value("imageclassifier_mlflow_logged_total") > before.Value("imageclassifier_mlflow_logged_total"));
        Assert.Equal("counter", after.Types["imageclassifier_mlflow_logged_total"]);
    }

    /// <summary>The run is ended before the counter moves, so the scrape is repeated until it has (at most 30 s).</summary>
    private static async Task<PrometheusText> WaitForAsync(HttpClient client, Func<PrometheusText, bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var metrics = PrometheusText.Parse(await client.GetStringAsync(new Uri("/metrics", UriKind.Relative), timeout.Token));
            if (condition(metrics))
            {
                return metrics;
            }

            await Task.Delay(20, timeout.Token);
        }
    }
}
