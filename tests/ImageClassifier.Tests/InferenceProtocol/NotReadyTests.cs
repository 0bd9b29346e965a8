using System.Net;
using ImageClassifier.Tests.Harness;

namespace ImageClassifier.Tests.InferenceProtocol;

/// <summary>Until the model is loaded, readiness and the model endpoints answer 503 (with Retry-After), and liveness still 200.</summary>
public sealed class NotReadyTests : IAsyncLifetime
{
    private readonly FakedFunctionApp _app = new();

    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _app.Classifier.IsReady = false;
        _client = _app.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("GET", "/v2/models/fake-model")]
    [InlineData("GET", "/v2/models/fake-model/ready")]
    [InlineData("POST", "/v2/models/fake-model/infer")]
    public async Task Model_endpoints_are_503_with_Retry_After(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative))
        {
            Content = method == "POST" ? InferBodies.Json("""{"inputs":[]}""") : null,
        };

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.False(string.IsNullOrEmpty((await InferBodies.ReadJsonAsync(response)).GetProperty("error").GetString()));
    }

    [Fact]
    public async Task The_server_is_not_ready()
    {
        using var response = await _client.GetAsync(new Uri("/v2/health/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.False((await InferBodies.ReadJsonAsync(response)).GetProperty("ready").GetBoolean());
    }

    [Fact]
    public async Task The_server_is_live()
    {
        using var response = await _client.GetAsync(new Uri("/v2/health/live", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
