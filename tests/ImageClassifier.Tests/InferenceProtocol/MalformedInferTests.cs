using System.Net;

namespace ImageClassifier.Tests.InferenceProtocol;

/// <summary>Requests the protocol must refuse, each with its status and an <c>{"error": …}</c> body.</summary>
public class MalformedInferTests(ProtocolFunction function) : IClassFixture<ProtocolFunction>
{
    private static readonly string Png = Convert.ToBase64String(TestImages.Read("coffee.png"));

    public static TheoryData<string, string, HttpStatusCode> Refused => new()
    {
        { "wrong shape", """{"inputs":[{"name":"input","shape":[1,3,224,225],"datatype":"FP32","data":[0.5]}]}""", HttpStatusCode.BadRequest },
        { "wrong rank", """{"inputs":[{"name":"input","shape":[3,224,224],"datatype":"FP32","data":[0.5]}]}""", HttpStatusCode.BadRequest },
        { "no shape", """{"inputs":[{"name":"input","datatype":"FP32","data":[0.5]}]}""", HttpStatusCode.BadRequest },
        { "wrong datatype", """{"inputs":[{"name":"input","shape":[1,3,224,224],"datatype":"INT32","data":[1,2,3]}]}""", HttpStatusCode.BadRequest },
        { "wrong length", """{"inputs":[{"name":"input","shape":[1,3,224,224],"datatype":"FP32","data":[0.1,0.2,0.3]}]}""", HttpStatusCode.BadRequest },
        { "strings in FP32", """{"inputs":[{"name":"input","shape":[1,3,224,224],"datatype":"FP32","data":["a"]}]}""", HttpStatusCode.BadRequest },
        { "numbers and strings", """{"inputs":[{"name":"input","shape":[1,3,224,224],"datatype":"FP32","data":[1,"a"]}]}""", HttpStatusCode.BadRequest },
        { "batch of zero", """{"inputs":[{"name":"input","shape":[0,3,224,224],"datatype":"FP32","data":[]}]}""", HttpStatusCode.BadRequest },
        { "unknown input", """{"inputs":[{"name":"data","shape":[1,3,224,224],"datatype":"FP32","data":[0.5]}]}""", HttpStatusCode.BadRequest },
        { "two inputs", """{"inputs":[{"name":"input","shape":[1],"datatype":"FP32","data":[0.5]},{"name":"input","shape":[1],"datatype":"FP32","data":[0.5]}]}""", HttpStatusCode.BadRequest },
        { "no inputs", """{"inputs":[]}""", HttpStatusCode.BadRequest },
        { "unknown output", $$"""{"inputs":[{"name":"image_bytes","shape":[1],"datatype":"BYTES","data":["{{Png}}"]}],"outputs":[{"name":"probabilities"}]}""", HttpStatusCode.BadRequest },
        { "not JSON", "inputs=1", HttpStatusCode.BadRequest },
        { "data not an array", """{"inputs":[{"name":"input","shape":[1,3,224,224],"datatype":"FP32","data":{"x":1}}]}""", HttpStatusCode.BadRequest },
        { "over the batch cap", """{"inputs":[{"name":"input","shape":[5,3,224,224],"datatype":"FP32","data":[0.5]}]}""", HttpStatusCode.RequestEntityTooLarge },
        { "BYTES as FP32", $$"""{"inputs":[{"name":"image_bytes","shape":[1],"datatype":"FP32","data":["{{Png}}"]}]}""", HttpStatusCode.BadRequest },
        { "BYTES count differs from shape", $$"""{"inputs":[{"name":"image_bytes","shape":[2],"datatype":"BYTES","data":["{{Png}}"]}]}""", HttpStatusCode.BadRequest },
        { "not base64", """{"inputs":[{"name":"image_bytes","shape":[1],"datatype":"BYTES","data":["not base64!"]}]}""", HttpStatusCode.BadRequest },
        { "not an image", """{"inputs":[{"name":"image_bytes","shape":[1],"datatype":"BYTES","data":["aGVsbG8gd29ybGQ="]}]}""", HttpStatusCode.UnprocessableEntity },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Is_refused_with_an_error_body(string why, string body, HttpStatusCode status)
    {
        using var response = await function.Client.PostAsync(
            new Uri($"/v2/models/{ProtocolFunction.ModelName}/infer", UriKind.Relative), InferBodies.Json(body));

        Assert.True(status == response.StatusCode, $"{why}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(string.IsNullOrEmpty((await InferBodies.ReadJsonAsync(response)).GetProperty("error").GetString()));
    }

    [Fact]
    public async Task A_body_over_8_MiB_is_413_with_an_error_body()
    {
        var padding = new string(' ', 8 * 1024 * 1024);

        using var response = await function.Client.PostAsync(
            new Uri($"/v2/models/{ProtocolFunction.ModelName}/infer", UriKind.Relative),
            InferBodies.Json($$"""{"inputs":[]{{padding}}}"""));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("8388608", (await InferBodies.ReadJsonAsync(response)).GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inference_on_an_unknown_model_is_404_with_an_error_body()
    {
        using var response = await function.Client.PostAsync(
            new Uri("/v2/models/resnet50/infer", UriKind.Relative),
            InferBodies.Json("""{"inputs":[{"name":"input","shape":[1,3,224,224],"datatype":"FP32","data":[0.5]}]}"""));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("resnet50", (await InferBodies.ReadJsonAsync(response)).GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}
