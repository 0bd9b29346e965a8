using System.Net;
using System.Text.Json;
using ImageClassifier.Tests.Harness;

namespace ImageClassifier.Tests.InferenceProtocol;

/// <summary>Inference over the protocol gives the logits behind the function's own classification.</summary>
public class InferTests(ProtocolFunction function) : IClassFixture<ProtocolFunction>
{
    private static readonly Uri Infer = new($"/v2/models/{ProtocolFunction.ModelName}/infer", UriKind.Relative);

    [Fact]
    public async Task A_flat_FP32_tensor_gives_the_logits_of_the_functions_own_classification()
    {
        var tensor = await function.PreprocessAsync("chelsea.png");

        using var response = await function.Client.PostAsync(
            Infer,
            InferBodies.Tensor("input", [1, 3, 224, 224], "FP32", InferBodies.Flat(tensor), extra: """ "id":"req-7","outputs":[{"name":"output"}], """));
        var body = await InferBodies.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ProtocolFunction.ModelName, body.GetProperty("model_name").GetString());
        Assert.Equal("req-7", body.GetProperty("id").GetString());
        Assert.Equal(64, body.GetProperty("model_version").GetString()!.Length);
        var output = Assert.Single(body.GetProperty("outputs").EnumerateArray());
        Assert.Equal("output", output.GetProperty("name").GetString());
        Assert.Equal("FP32", output.GetProperty("datatype").GetString());
        Assert.Equal([1L, 1000], output.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        await AssertSameTop5Async(Logits(output, 0), "chelsea.png");
    }

    [Fact]
    public async Task A_nested_batch_of_two_gives_each_images_logits_in_order()
    {
        float[] tensors = [.. await function.PreprocessAsync("coffee.png"), .. await function.PreprocessAsync("chelsea.png")];
        long[] shape = [2, 3, 224, 224];

        using var response = await function.Client.PostAsync(Infer, InferBodies.Tensor("input", shape, "FP32", InferBodies.Nested(tensors, shape)));
        var body = await InferBodies.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var output = Assert.Single(body.GetProperty("outputs").EnumerateArray());
        Assert.Equal([2L, 1000], output.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        Assert.False(string.IsNullOrEmpty(body.GetProperty("id").GetString()));
        await AssertSameTop5Async(Logits(output, 0), "coffee.png");
        await AssertSameTop5Async(Logits(output, 1), "chelsea.png");
    }

    [Fact]
    public async Task Base64_image_bytes_go_through_the_functions_preprocessing()
    {
        var images = $"[\"{Convert.ToBase64String(TestImages.Read("chelsea.png"))}\",\"{Convert.ToBase64String(TestImages.Read("rocket.jpg"))}\"]";

        using var response = await function.Client.PostAsync(Infer, InferBodies.Tensor("image_bytes", [2], "BYTES", images));
        var body = await InferBodies.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var output = Assert.Single(body.GetProperty("outputs").EnumerateArray());
        Assert.Equal([2L, 1000], output.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        await AssertSameTop5Async(Logits(output, 0), "chelsea.png");
        await AssertSameTop5Async(Logits(output, 1), "rocket.jpg");
    }

    [Fact]
    public async Task The_versioned_route_infers_too()
    {
        using var metadata = await function.Client.GetAsync(new Uri($"/v2/models/{ProtocolFunction.ModelName}", UriKind.Relative));
        var version = (await InferBodies.ReadJsonAsync(metadata)).GetProperty("versions")[0].GetString();
        var image = $"[\"{Convert.ToBase64String(TestImages.Read("coffee.png"))}\"]";

        using var response = await function.Client.PostAsync(
            new Uri($"/v2/models/{ProtocolFunction.ModelName}/versions/{version}/infer", UriKind.Relative),
            InferBodies.Tensor("image_bytes", [1], "BYTES", image));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await AssertSameTop5Async(Logits(Assert.Single((await InferBodies.ReadJsonAsync(response)).GetProperty("outputs").EnumerateArray()), 0), "coffee.png");
    }

    private static float[] Logits(JsonElement output, int image) =>
        [.. output.GetProperty("data").EnumerateArray().Skip(image * 1000).Take(1000).Select(value => value.GetSingle())];

    /// <summary>softmax(logits)'s top 5 against POST /'s predictions for the same image: same classes, same order, same probabilities.</summary>
    private async Task AssertSameTop5Async(float[] logits, string imageName)
    {
        using var reply = await function.Client.PostAsync(new Uri("/", UriKind.Relative), Replies.ImageContent(imageName));
        var predictions = Replies.DataOf(await Replies.ReadEventAsync(reply)).GetProperty("predictions").EnumerateArray().ToArray();

        var max = logits.Max();
        var exponentials = logits.Select(logit => Math.Exp(logit - max)).ToArray();
        var sum = exponentials.Sum();
        var top5 = exponentials.Select((value, index) => (Index: index, Probability: value / sum)).OrderByDescending(p => p.Probability).Take(5).ToArray();

        Assert.Equal(5, predictions.Length);
        Assert.Equal(predictions.Select(p => p.GetProperty("index").GetInt32()), top5.Select(p => p.Index));
        for (var rank = 0; rank < 5; rank++)
        {
            Assert.Equal(predictions[rank].GetProperty("probability").GetDouble(), top5[rank].Probability, tolerance: 1e-4);
        }
    }
}
