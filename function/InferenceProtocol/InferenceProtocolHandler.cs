using System.Reflection;
using System.Text.Json;
using ImageClassifier.Delivery;
using ImageClassifier.Edge;
using ImageClassifier.Failures;
using ImageClassifier.Hosting;
using ImageClassifier.Inference;
using ImageClassifier.Memory;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ImageClassifier.InferenceProtocol;

/// <summary>
/// The Open Inference Protocol (KServe v2) over the function's one model: health, metadata and
/// inference, with the model named as the function names it in its replies. Inference goes
/// through the same request lifecycle as POST / (admission, shedding, telemetry).
/// </summary>
internal sealed class InferenceProtocolHandler(
    IClassifier classifier,
    InferInputDecoder decoder,
    RequestLifecycle lifecycle,
    BodyReader bodies,
    JsonShapeScan scan,
    HealthCheckService health)
{
    /// <summary>The runtime the model runs on, in KServe's spelling.</summary>
    public const string Platform = "onnxruntime_onnx";

    private const string ServerName = "image-classifier";

    private static readonly string ServerVersion =
        typeof(InferenceProtocolHandler).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static IResult Server() =>
        ProtocolResults.Json(new ServerMetadata(ServerName, ServerVersion, []), InferenceProtocolJsonContext.Default.ServerMetadata);

    public static IResult Live() => ProtocolResults.Json(new ServerLive(true), InferenceProtocolJsonContext.Default.ServerLive);

    /// <summary>Ready exactly when /readyz is: model loaded and warmed, and not shutting down.</summary>
    public async Task<IResult> ReadyAsync(CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(check => check.Tags.Contains(FunctionHosting.ReadyTag), cancellationToken);
        var ready = report.Status == HealthStatus.Healthy;
        return ProtocolResults.Json(
            new ServerReady(ready),
            InferenceProtocolJsonContext.Default.ServerReady,
            ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    public IResult Metadata(HttpResponse response, string name, string? version)
    {
        if (!classifier.IsReady)
        {
            return ProtocolResults.Failure(response, NotReady());
        }

        // One model's name, version and tensors, even if another is swapped in meanwhile.
        using var model = classifier.Acquire();
        if (Refusal(name, version, model.Model) is { } refusal)
        {
            return ProtocolResults.Failure(response, refusal);
        }

        // The input as an infer must send it: the graph's layout, its dynamic sides fixed by the preprocessing.
        var signature = model.Signature;
        return ProtocolResults.Json(
            new ModelMetadata(
                model.Model.Name,
                [VersionOf(model.Model)],
                Platform,
                [new TensorMetadata(signature.InputName, TensorDatatypes.Fp32, AnyBatch(model.Preprocessing.TensorShape(1)))],
                [new TensorMetadata(signature.OutputName, TensorDatatypes.Fp32, AnyBatch(signature.OutputShape))]),
            InferenceProtocolJsonContext.Default.ModelMetadata);
    }

    public IResult ModelReady(HttpResponse response, string name, string? version) =>
        Refusal(name, version) is { } refusal
            ? ProtocolResults.Failure(response, refusal)
            : ProtocolResults.Json(new ModelReady(name, true), InferenceProtocolJsonContext.Default.ModelReady);

    public Task InferAsync(HttpContext context, string name, string? version) =>
        lifecycle.ServeAsync(
            context,
            RequestForm.Inference,
            cancellationToken => ReadInferAsync(context, name, version, cancellationToken),
            (read, cancellationToken) => ServeInferAsync(context, read.Request, name, version, cancellationToken),
            ProtocolResults.WriteErrorAsync);

    /// <summary>The request, read and parsed; its body, and what its tensors decode to, stay paid for until the answer is written.</summary>
    private async Task<ReadInferRequest> ReadInferAsync(HttpContext context, string name, string? version, CancellationToken cancellationToken)
    {
        if (Refusal(name, version) is { } refusal)
        {
            throw refusal;
        }

        var body = await ReadAsync(context, cancellationToken);
        try
        {
            return new ReadInferRequest(Parse(body.Memory.Span), body);
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    private async Task ServeInferAsync(HttpContext context, InferRequest request, string name, string? version, CancellationToken cancellationToken)
    {
        var outcome = await lifecycle.RunAsync(new RequestUnit(RequestForm.Inference), (_, token) => InferAsync(request, name, version, token), cancellationToken);
        if (outcome.Failure is { } failure)
        {
            await RequestLifecycle.WriteFailureAsync(context.Response, failure, ProtocolResults.WriteErrorAsync, cancellationToken);
            return;
        }

        await context.Response.WriteAsJsonAsync(outcome.Reply!, InferenceProtocolJsonContext.Default.InferResponse, contentType: null, cancellationToken);
    }

    private async Task<InferResponse?> InferAsync(InferRequest request, string name, string? version, CancellationToken cancellationToken)
    {
        // The request is checked against, run on and answered for one model, even if another is swapped in meanwhile.
        using var model = classifier.Acquire();
        if (Refusal(name, version, model.Model) is { } refusal)
        {
            throw refusal;
        }

        var (tensors, count) = await decoder.DecodeAsync(request, model, cancellationToken);
        using (tensors)
        {
            var logits = await model.InferLogitsAsync(tensors.Memory, count, cancellationToken);
            var output = new ResponseOutput(model.Signature.OutputName, [count, model.ClassCount], TensorDatatypes.Fp32, logits);
            return new InferResponse(model.Model.Name, VersionOf(model.Model), request.Id ?? Guid.NewGuid().ToString(), [output]);
        }
    }

    /// <summary>The protocol's model version: the registry's version, or for a model without one (bundled, MODEL_PATH) its SHA-256.</summary>
    private static string VersionOf(ModelInfo model) => model.Version ?? model.Sha256;

    /// <summary>
    /// The batch dimension is always dynamic here: a model fixed at one image is run once per
    /// image, so every model takes up to <see cref="InferInputDecoder.MaxBatch"/> at a time.
    /// </summary>
    private static long[] AnyBatch(long[] shape) => [-1, .. shape[1..]];

    /// <summary>The failure when the route does not name the served model, or it is not loaded yet; null to go on.</summary>
    private ClassificationException? Refusal(string name, string? version) =>
        classifier.IsReady ? Refusal(name, version, classifier.Model) : NotReady();

    private static ClassificationException NotReady() => Problems.NotReady.Failure("The model is not loaded yet; retry shortly.");

    /// <summary>The failure when the route does not name <paramref name="model"/>; null to go on.</summary>
    private static ClassificationException? Refusal(string name, string? version, ModelInfo model)
    {
        if (name != model.Name)
        {
            return Problems.ModelNotFound.Failure($"No model named '{name}' is served here; the model is '{model.Name}'.");
        }

        // The SHA-256 names the version too, so a client may pin the exact file.
        return version is null || version == model.Version || version == model.Sha256
            ? null
            : Problems.ModelNotFound.Failure($"Model '{name}' has no version '{version}' here; it serves version '{VersionOf(model)}'.");
    }

    private async Task<BudgetedBuffer> ReadAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (context.Request.Headers.ContainsKey("Inference-Header-Content-Length"))
        {
            throw Problems.BinaryTensorDataUnsupported.Failure("The binary tensor data extension is not supported; send the tensors as JSON.");
        }

        // A batch of FP32 images in JSON is not what POST / takes, so this route sets its own cap.
        var body = await bodies.ReadAsync(context.Request, InferInputDecoder.MaxBodyBytes, cancellationToken);
        try
        {
            // Base64 images decode to at most three quarters of their text; the rest of what the
            // deserialiser allocates (numbers, lists, records) is paid by the token, once the scan
            // has found the request's shape within bounds.
            var shape = Scan(body.Memory.Span);
            await body.ChargeAsync((body.Length * 3L / 4) + shape.ParseBytes, "The request's tensors", cancellationToken);
            return body;
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    private JsonShape Scan(ReadOnlySpan<byte> json)
    {
        var rules = new InferRequestShape();
        return scan.Scan(json, InferRequestShape.Limits, ref rules, malformed => InferInputDecoder.Malformed("The body is not valid JSON.", malformed));
    }

    private static InferRequest Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, InferenceProtocolJsonContext.Default.InferRequest)
                ?? throw InferInputDecoder.Malformed("The body must be a JSON object.");
        }
        catch (JsonException malformed)
        {
            var where = malformed.Path is null ? "" : $" at {malformed.Path}";
            throw InferInputDecoder.Malformed($"The body is not a valid inference request{where}.", malformed);
        }
    }

    /// <summary>An inference request as read, with the body it was read from.</summary>
    private sealed record ReadInferRequest(InferRequest Request, BudgetedBuffer Body) : IDisposable
    {
        public void Dispose() => Body.Dispose();
    }
}
