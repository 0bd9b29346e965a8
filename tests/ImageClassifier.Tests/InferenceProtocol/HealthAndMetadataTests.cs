using System.Net;

namespace ImageClassifier.Tests.InferenceProtocol;

/// <summary>The protocol's health, server and model metadata endpoints, on the real model.</summary>
public class HealthAndMetadataTests(ProtocolFunction function) : IClassFixture<ProtocolFunction>
{
    private const string Sha256 = "cc028fe6cae7bc11a4ff53cfc9b79c920e8be65ce33a904ec3e2a8f66d77f95f";

    [Fact]
    public async Task Server_is_live_and_ready_once_the_model_is_loaded()
    {
        using var live = await function.Client.GetAsync(new Uri("/v2/health/live", UriKind.Relative));
        using var ready = await function.Client.GetAsync(new Uri("/v2/health/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.True((await InferBodies.ReadJsonAsync(live)).GetProperty("live").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.True((await InferBodies.ReadJsonAsync(ready)).GetProperty("ready").GetBoolean());
    }

    [Fact]
    public async Task Server_metadata_names_the_server()
    {
        using var response = await function.Client.GetAsync(new Uri("/v2", UriKind.Relative));
        var body = await InferBodies.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image-classifier", body.GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("version").GetString()));
        Assert.Equal(0, body.GetProperty("extensions").GetArrayLength());
    }

    [Fact]
    public async Task Model_metadata_gives_the_onnx_tensors_with_a_dynamic_batch()
    {
        using var response = await function.Client.GetAsync(new Uri($"/v2/models/{ProtocolFunction.ModelName}", UriKind.Relative));
        var body = await InferBodies.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ProtocolFunction.ModelName, body.GetProperty("name").GetString());
        Assert.Equal([Sha256], body.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("onnxruntime_onnx", body.GetProperty("platform").GetString());
        var input = Assert.Single(body.GetProperty("inputs").EnumerateArray());
        Assert.Equal("input", input.GetProperty("name").GetString());
        Assert.Equal("FP32", input.GetProperty("datatype").GetString());
        Assert.Equal([-1L, 3, 224, 224], input.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        var output = Assert.Single(body.GetProperty("outputs").EnumerateArray());
        Assert.Equal("output", output.GetProperty("name").GetString());
        Assert.Equal("FP32", output.GetProperty("datatype").GetString());
        Assert.Equal([-1L, 1000], output.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
    }

    [Theory]
    [InlineData($"/v2/models/{ProtocolFunction.ModelName}/ready")]
    [InlineData($"/v2/models/{ProtocolFunction.ModelName}/versions/{Sha256}/ready")]
    public async Task Model_is_ready_by_name_and_by_version(string path)
    {
        using var response = await function.Client.GetAsync(new Uri(path, UriKind.Relative));
        var body = await InferBodies.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ProtocolFunction.ModelName, body.GetProperty("name").GetString());
        Assert.True(body.GetProperty("ready").GetBoolean());
    }

    [Theory]
    [InlineData("/v2/models/resnet50")]
    [InlineData("/v2/models/resnet50/ready")]
    [InlineData($"/v2/models/{ProtocolFunction.ModelName}/versions/1")]
    [InlineData($"/v2/models/{ProtocolFunction.ModelName}/versions/1/ready")]
    public async Task An_unknown_model_or_version_is_404_with_an_error_body(string path)
    {
        using var response = await function.Client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(string.IsNullOrEmpty((await InferBodies.ReadJsonAsync(response)).GetProperty("error").GetString()));
    }
}
