using System.Reflection;
using System.Text.Json;
using ImageClassifier.Http;
using ImageClassifier.Inference;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ImageClassifier.InferenceProtocol;

/// <summary>
/// The Open Inference Protocol (KServe v2) over the function's one model: health, metadata and
/// inference, with the model named as the function names it in its replies.
/// </summary>
internal sealed class InferenceProtocolHandler(
    IClassifier classifier,
    InferInputDecoder decoder,
    HealthCheckService health,
    ILogger<InferenceProtocolHandler> logger)
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
        if (Refuse(response, name, version) is { } refusal)
        {
            return refusal;
        }

        var signature = classifier.Signature;
        return ProtocolResults.Json(
            new ModelMetadata(
                classifier.Model.Name,
                [classifier.Model.Sha256],
                Platform,
                [new TensorMetadata(signature.InputName, TensorDatatypes.Fp32, AnyBatch(signature.InputShape))],
                [new TensorMetadata(signature.OutputName, TensorDatatypes.Fp32, AnyBatch(signature.OutputShape))]),
            InferenceProtocolJsonContext.Default.ModelMetadata);
    }

    public IResult ModelReady(HttpResponse response, string name, string? version) =>
        Refuse(response, name, version)
        ?? ProtocolResults.Json(new ModelReady(classifier.Model.Name, true), InferenceProtocolJsonContext.Default.ModelReady);

    public async Task<IResult> InferAsync(HttpContext context, string name, string? version)
    {
        if (Refuse(context.Response, name, version) is { } refusal)
        {
            return refusal;
        }

        var cancellationToken = context.RequestAborted;
        try
        {
            var request = await ReadAsync(context, cancellationToken);
            var batch = decoder.Decode(request);
            var logits = await classifier.InferLogitsAsync(batch.Tensors, batch.Count, cancellationToken);
            var output = new ResponseOutput(classifier.Signature.OutputName, [batch.Count, classifier.ClassCount], TensorDatatypes.Fp32, logits);
            return ProtocolResults.Json(
                new InferResponse(classifier.Model.Name, classifier.Model.Sha256, request.Id ?? Guid.NewGuid().ToString(), [output]),
                InferenceProtocolJsonContext.Default.InferResponse);
        }
        catch (ClassificationException failure)
        {
            logger.LogInformation("Inference request refused: {Problem} ({Kind}).", failure.Problem, failure.Kind);
            return ProtocolResults.Failure(context.Response, failure);
        }
        catch (Exception bug) when (bug is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogError(bug, "The inference protocol failed unexpectedly.");
            return ProtocolResults.Error(StatusCodes.Status500InternalServerError, "The server failed unexpectedly; the failure has been logged.");
        }
    }

    /// <summary>
    /// The batch dimension is always dynamic here: a model fixed at one image is run once per
    /// image, so every model takes up to <see cref="InferInputDecoder.MaxBatch"/> at a time.
    /// </summary>
    private static long[] AnyBatch(long[] shape) => [-1, .. shape[1..]];

    /// <summary>A reply when the route does not name the served model, or it is not loaded yet; null to go on.</summary>
    private IResult? Refuse(HttpResponse response, string name, string? version)
    {
        if (!classifier.IsReady)
        {
            return ProtocolResults.Failure(response, EdgeFailures.NotReady());
        }

        var model = classifier.Model;
        if (name != model.Name)
        {
            return ProtocolResults.Error(StatusCodes.Status404NotFound, $"No model named '{name}' is served here; the model is '{model.Name}'.");
        }

        return version is null || version == model.Sha256
            ? null
            : ProtocolResults.Error(StatusCodes.Status404NotFound, $"Model '{name}' has no version '{version}'; its version is '{model.Sha256}'.");
    }

    private static async Task<InferRequest> ReadAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (context.Request.Headers.ContainsKey("Inference-Header-Content-Length"))
        {
            throw ProtocolFailures.BinaryDataUnsupported();
        }

        // A batch of FP32 images in JSON is not what POST / takes, so this route sets its own cap.
        const long limit = InferInputDecoder.MaxBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            throw ProtocolFailures.TooLarge($"The request body is larger than {limit} bytes.");
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = limit;
        }

        try
        {
            return await JsonSerializer.DeserializeAsync(context.Request.Body, InferenceProtocolJsonContext.Default.InferRequest, cancellationToken)
                ?? throw ProtocolFailures.Malformed("The body must be a JSON object.");
        }
        catch (JsonException malformed)
        {
            var where = malformed.Path is null ? "" : $" at {malformed.Path}";
            throw ProtocolFailures.Malformed($"The body is not a valid inference request{where}.", malformed);
        }
        catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw ProtocolFailures.TooLarge($"The request body is larger than {limit} bytes.", tooLarge);
        }
    }
}
