using System.Net;
using System.Security.Cryptography;
using ImageClassifier.Inference;
using ImageClassifier.Tests.Harness;
using Microsoft.Extensions.DependencyInjection;

namespace ImageClassifier.Tests.MLflow;

/// <summary>The function with MODEL_URI: ready only once the registered model is loaded, and that model only.</summary>
public sealed class RegisteredModelServingTests : IAsyncLifetime
{
    private MLflowStandIn _mlflow = null!;
    private readonly string _cache = Path.Combine(Path.GetTempPath(), "mlflow-serving-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync() => _mlflow = await MLflowStandIn.StartAsync();

    public async Task DisposeAsync()
    {
        await _mlflow.DisposeAsync();
        if (Directory.Exists(_cache))
        {
            Directory.Delete(_cache, recursive: true);
        }
    }

    [Fact]
    public async Task The_registered_model_is_served_and_its_sha256_reported()
    {
        var onnx = await File.ReadAllBytesAsync(SharedModels.ShuffleNet);
        _mlflow.RegisterModelVersion("shufflenet", "4", new Dictionary<string, byte[]> { ["model.onnx"] = onnx }, "champion");
        await using var app = App();

        await app.CreateReadyClientAsync();

        var classifier = app.Services.GetRequiredService<IClassifier>();
        Assert.Equal(new ModelInfo("shufflenet", Convert.ToHexStringLower(SHA256.HashData(onnx)), "4"), classifier.Model);
        Assert.Equal(1000, classifier.ClassCount);
    }

    [Fact]
    public async Task While_the_model_is_missing_the_function_is_alive_but_not_ready()
    {
        await using var app = App();
        using var client = app.CreateClient();

        await _mlflow.WaitForAsync(calls => calls.Any(call => call.Path.EndsWith("/registered-models/alias", StringComparison.Ordinal)));

        using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        using var live = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.False(app.Services.GetRequiredService<IClassifier>().IsReady);
    }

    [Fact]
    public async Task A_cut_short_download_is_not_loaded()
    {
        _mlflow.RegisterModelVersion("shufflenet", "4", new Dictionary<string, byte[]> { ["model.onnx"] = await File.ReadAllBytesAsync(SharedModels.ShuffleNet) }, "champion");
        _mlflow.CutShortDownloadsOf = "model.onnx";
        await using var app = App();
        using var client = app.CreateClient();

        await _mlflow.WaitForAsync(calls => calls.Any(call => call.Path.EndsWith("/model.onnx", StringComparison.Ordinal)));

        using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.False(app.Services.GetRequiredService<IClassifier>().IsReady);
        Assert.DoesNotContain(Directory.EnumerateFiles(_cache, "*", SearchOption.AllDirectories), path => path.EndsWith("model.onnx", StringComparison.Ordinal));
    }

    private FunctionApp App() => new(new Dictionary<string, string?>
    {
        ["MLFLOW_TRACKING_URI"] = _mlflow.BaseAddress.AbsoluteUri,
        ["MODEL_URI"] = "models:/shufflenet@champion",
        ["MODEL_CACHE_DIR"] = _cache,
        ["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] = "0",
    });
}
