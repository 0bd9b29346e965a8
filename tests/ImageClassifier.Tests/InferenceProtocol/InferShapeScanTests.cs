using System.Net;
using ImageClassifier.Edge;
using ImageClassifier.InferenceProtocol;
using ImageClassifier.Tests.Harness;

namespace ImageClassifier.Tests.InferenceProtocol;

/// <summary>Inference requests refused by the scan before they are deserialised, each with an error body and counted by its reason.</summary>
public sealed class InferShapeScanTests(ProtocolFunction function) : IClassFixture<ProtocolFunction>
{
    private const string Instrument = "imageclassifier.requests.json_refused";

    private static readonly string Zeros = string.Join(',', Enumerable.Repeat("0", 10));

    public static TheoryData<string, string, HttpStatusCode> Refused => new()
    {
        { Inputs(InferInputDecoder.MaxBatch + 1), InferRequestShape.Reasons.Inputs, HttpStatusCode.BadRequest },
        { $$"""{"inputs":[{"name":"input","shape":[1,1,1,1,1,1,1,1,1],"datatype":"FP32","data":[0]}]}""", InferRequestShape.Reasons.ShapeRank, HttpStatusCode.BadRequest },
        { $$"""{"inputs":[{"name":"input","shape":[1,3],"datatype":"FP32","data":[{{Zeros}}]}]}""", InferRequestShape.Reasons.DataLength, HttpStatusCode.BadRequest },
        { $$"""{"inputs":[{"name":"input","datatype":"FP32","data":[{{Zeros}}],"shape":[1,3]}]}""", InferRequestShape.Reasons.DataLength, HttpStatusCode.BadRequest },
        { $$"""{"id":"{{new string('i', InferRequestShape.MaxStringBytes + 1)}}","inputs":[]}""", JsonShapeScan.Reasons.StringBytes, HttpStatusCode.RequestEntityTooLarge },
        { $$$"""{"inputs":[],"parameters":{"p":[{{{string.Join(',', Enumerable.Repeat("0", InferRequestShape.MaxValues + 1))}}}]}}""", JsonShapeScan.Reasons.ArrayValues, HttpStatusCode.RequestEntityTooLarge },
    };

    [Fact]
    public async Task A_7_MB_body_of_empty_inputs_is_400_before_it_is_deserialised()
    {
        using var counters = new CounterRecorder(function.Services);

        using var response = await PostAsync(new ByteArrayContent(HostileJson.EmptyInputs(7_000_000)) { Headers = { { "Content-Type", "application/json" } } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("more than 4 inputs", (await InferBodies.ReadJsonAsync(response)).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, counters.Total(Instrument, InferRequestShape.Reasons.Inputs));
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Is_refused_by_the_scan_and_counted(string body, string reason, HttpStatusCode status)
    {
        using var counters = new CounterRecorder(function.Services);

        using var response = await PostAsync(InferBodies.Json(body));

        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.False(string.IsNullOrEmpty((await InferBodies.ReadJsonAsync(response)).GetProperty("error").GetString()));
        Assert.Equal(1, counters.Total(Instrument, reason));
    }

    [Fact]
    public async Task Data_within_its_shape_passes_the_scan_to_the_decoder()
    {
        using var counters = new CounterRecorder(function.Services);

        using var response = await PostAsync(InferBodies.Json($$"""{"inputs":[{"name":"input","shape":[10,1],"datatype":"FP32","data":[{{Zeros}}]}]}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("must have shape", (await InferBodies.ReadJsonAsync(response)).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, counters.Total(Instrument));
    }

    private static string Inputs(int count) =>
        """{"inputs":[""" + string.Join(',', Enumerable.Repeat("""{"name":"input","shape":[1],"datatype":"FP32","data":[0]}""", count)) + "]}";

    private Task<HttpResponseMessage> PostAsync(HttpContent content) =>
        function.Client.PostAsync(new Uri($"/v2/models/{ProtocolFunction.ModelName}/infer", UriKind.Relative), content);
}
