using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.Core;
using CloudNative.CloudEvents.Http;
using ImageClassifier.Delivery;
using ImageClassifier.Failures;
using ImageClassifier.Memory;
using ImageClassifier.Observability;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Edge;

/// <summary>
/// Recognises which of the request forms (README, "Requests") arrived, reads its body
/// within the limit for that form, and says what to classify.
/// </summary>
internal sealed class RequestReader(
    CloudEventHttpBinding binding,
    BodyReader bodies,
    BodyLimits limits,
    JsonShapeScan scan,
    IOptions<FunctionOptions> functionOptions,
    IOptions<BatchOptions> batchOptions)
{
    /// <summary>Values in one array of a JSON body: room for the largest batch MAX_BATCH_EVENTS allows; a request names its image with none.</summary>
    public const int MaxJsonArrayValues = 1024;

    /// <summary>Members of one object: an event's dozen attributes and 32 extensions, with room to spare.</summary>
    public const int MaxJsonObjectMembers = 64;

    private const string AcceptedContentTypes =
        "Send application/json, image/*, or a CloudEvent in binary mode, as application/cloudevents+json or as application/cloudevents-batch+json.";

    /// <summary>The general limits of POST /'s JSON; a string besides an image is bounded as an event's envelope is.</summary>
    public static JsonShapeLimits JsonLimits => new(JsonShapeScan.MaxDepth, MaxJsonArrayValues, MaxJsonObjectMembers, AttributeLimits.MaxEnvelopeBytes);

    /// <summary>Which form a request has, from its headers alone; null when it is none the function reads.</summary>
    public static RequestForm? Recognise(HttpRequest request)
    {
        var contentType = request.ContentType;
        return contentType switch
        {
            _ when MimeUtilities.IsCloudEventsBatchContentType(contentType) => RequestForm.Batch,
            _ when MimeUtilities.IsCloudEventsContentType(contentType) => RequestForm.StructuredCloudEvent,
            _ when request.Headers.ContainsKey(HttpUtilities.SpecVersionHttpHeader) => RequestForm.BinaryCloudEvent,
            _ when MediaTypes.IsJson(contentType) => RequestForm.PlainJson,
            _ when MediaTypes.IsImage(contentType) => RequestForm.RawImage,
            _ => null,
        };
    }

    /// <summary>
    /// Reads a request of any form but <see cref="RequestForm.Batch"/> (see <see cref="ReadBatchAsync"/>);
    /// the caller disposes it once answered, which gives back the memory its bytes take.
    /// </summary>
    public async Task<IncomingRequest> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        switch (Recognise(request))
        {
            case RequestForm.StructuredCloudEvent:
                return await ReadStructuredModeAsync(request, cancellationToken);
            case RequestForm.BinaryCloudEvent:
                return await ReadBinaryModeAsync(request, cancellationToken);
            case RequestForm.PlainJson:
                using (var json = await bodies.ReadAsync(request, limits.Json, cancellationToken))
                {
                    await ScanAsync(json, new NoJsonShapeRules(), e => Problems.InvalidRequest.Failure("The request body is not valid JSON.", e), 0, cancellationToken);
                    return new IncomingRequest(RequestForm.PlainJson, null, RequestBodyParser.Parse(json.Memory));
                }

            case RequestForm.RawImage:
                var image = await bodies.ReadAsync(request, limits.Image, cancellationToken);
                return Owning(image, () => new IncomingRequest(RequestForm.RawImage, null, ImageRequest(image.Memory)) { Owned = image });
            case RequestForm.Batch:
                throw new InvalidOperationException("A batch is read with ReadBatchAsync.");
            default:
                throw Problems.UnsupportedMediaType.Failure($"The content type is not one the function reads. {AcceptedContentTypes}");
        }
    }

    /// <summary>
    /// Reads a CloudEvents batch: a JSON array of structured-mode events, its body limited as one
    /// structured event is. An event that is invalid becomes a failed entry, not a failed batch.
    /// The caller disposes the body once the batch is answered: it pays for the events' data too.
    /// </summary>
    public async Task<(IReadOnlyList<BatchEntry> Entries, IDisposable Body)> ReadBatchAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await ReadEventsAsync(request, cancellationToken);
        await ScanAsync(body, CloudEventShape.Batch(batchOptions.Value.MaxEvents, AttributeLimits.MaxEnvelopeBytes),
            e => Problems.InvalidRequest.Failure("The CloudEvents batch is not valid JSON.", e), 0, cancellationToken);

        return Owning(body, () => ((IReadOnlyList<BatchEntry>)ReadBatch(body.Memory), (IDisposable)body));
    }

    private List<BatchEntry> ReadBatch(ReadOnlyMemory<byte> body)
    {
        using var document = Utf8Json.Parse(body, e => Problems.InvalidRequest.Failure("The CloudEvents batch is not valid JSON.", e));
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Array)
        {
            throw Problems.InvalidRequest.Failure("A CloudEvents batch must be a JSON array of events.");
        }

        // The scan has refused a batch of more than MAX_BATCH_EVENTS.
        return [.. root.EnumerateArray().Select(ReadBatchEntry)];
    }

    /// <summary>
    /// A structured event's or a batch's body, with the decoding of its events' data paid for too:
    /// data_base64 decodes to at most three quarters of its text.
    /// </summary>
    private async Task<BudgetedBuffer> ReadEventsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await bodies.ReadAsync(request, limits.StructuredEvent, cancellationToken);
        try
        {
            await body.ChargeAsync(body.Length * 3L / 4, "The events' data", cancellationToken);
            return body;
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Scans a JSON body before it is parsed (<see cref="JsonShapeScan"/>), then pays from the
    /// memory budget for what its parse allocates, and <paramref name="copied"/> bytes more the
    /// parse copies out of it. A body refused is given back.
    /// </summary>
    private async Task ScanAsync<TRules>(
        BudgetedBuffer body, TRules rules, Func<JsonException, ClassificationException> invalid, long copied, CancellationToken cancellationToken)
        where TRules : struct, IJsonShapeRules
    {
        try
        {
            var shape = Scan(body.Memory, rules, invalid);
            await body.ChargeAsync(shape.ParseBytes + copied, "Parsing the request's JSON", cancellationToken);
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    private JsonShape Scan<TRules>(ReadOnlyMemory<byte> json, TRules rules, Func<JsonException, ClassificationException> invalid)
        where TRules : struct, IJsonShapeRules =>
        scan.Scan(json.Span, JsonLimits, ref rules, invalid);

    /// <summary>Makes what owns <paramref name="body"/> from it, or gives the body back when that fails.</summary>
    private static T Owning<T>(BudgetedBuffer body, Func<T> make)
    {
        try
        {
            return make();
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    private BatchEntry ReadBatchEntry(JsonElement element)
    {
        CloudEvent? cloudEvent = null;
        try
        {
            cloudEvent = binding.DecodeStructuredMode(element);
            return new BatchEntry(FromEvent(RequestForm.Batch, cloudEvent), cloudEvent);
        }
        catch (ClassificationException failure)
        {
            return new BatchEntry(null, cloudEvent, failure);
        }
    }

    private async Task<IncomingRequest> ReadStructuredModeAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!MediaTypes.IsStructuredCloudEventJson(request.ContentType))
        {
            throw Problems.UnsupportedMediaType.Failure(
                $"Structured-mode CloudEvents are read in the JSON event format only ({MediaTypes.StructuredCloudEventJson}).");
        }

        var body = await ReadEventsAsync(request, cancellationToken);
        await ScanAsync(body, CloudEventShape.Event(AttributeLimits.MaxEnvelopeBytes),
            e => Problems.InvalidCloudEvent.Failure("The CloudEvent is not valid JSON.", e), 0, cancellationToken);

        return Owning(body, () => FromEvent(RequestForm.StructuredCloudEvent, binding.DecodeStructuredMode(body.Memory)) with { Owned = body });
    }

    private async Task<IncomingRequest> ReadBinaryModeAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var cloudEvent = binding.ReadBinaryModeAttributes(request);
        if (IsOwnReply(cloudEvent))
        {
            // The body of a looped reply is of no use, so it is not read at all.
            return new IncomingRequest(RequestForm.BinaryCloudEvent, cloudEvent, null);
        }

        var limit = cloudEvent.DataContentType switch
        {
            var type when MediaTypes.IsJson(type) => limits.Json,
            var type when MediaTypes.IsImage(type) => limits.Image,
            _ => throw UnsupportedDataContentType(),
        };
        var body = await bodies.ReadAsync(request, limit, cancellationToken);
        if (MediaTypes.IsJson(cloudEvent.DataContentType))
        {
            // The data's element is cloned out of the body: a copy of its bytes.
            await ScanAsync(body, new NoJsonShapeRules(),
                e => Problems.InvalidRequest.Failure("The CloudEvent's data is not valid JSON.", e), body.Length, cancellationToken);
        }

        return Owning(body, () =>
        {
            CloudEventHttpBinding.DecodeBinaryModeData(cloudEvent, body.Memory);
            return FromEvent(RequestForm.BinaryCloudEvent, cloudEvent) with { Owned = body };
        });
    }

    /// <summary>The event as a request; the id it carries on to MLflow is cut as telemetry cuts it.</summary>
    private IncomingRequest FromEvent(RequestForm form, CloudEvent cloudEvent) =>
        new(form, cloudEvent, IsOwnReply(cloudEvent) ? null : FromEventData(cloudEvent) with { EventId = TelemetryValue.Cut(cloudEvent.Id) });

    /// <summary>The function's own reply types: its replies, and its failed batch entries' replies.</summary>
    private bool IsOwnReply(CloudEvent cloudEvent) =>
        string.Equals(cloudEvent.Type, functionOptions.Value.CeType, StringComparison.Ordinal)
        || string.Equals(cloudEvent.Type, functionOptions.Value.CeType + ReplyBuilder.FailedTypeSuffix, StringComparison.Ordinal);

    private static ClassificationRequest FromEventData(CloudEvent cloudEvent)
    {
        // The JSON event format's rule: data without a datacontenttype is JSON.
        var dataContentType = cloudEvent.DataContentType ?? MediaTypes.Json;
        if (MediaTypes.IsJson(dataContentType))
        {
            return cloudEvent.Data is JsonElement json
                ? RequestBodyParser.Parse(json)
                : throw Problems.InvalidRequest.Failure("The CloudEvent has no JSON data naming the image.");
        }

        if (MediaTypes.IsImage(dataContentType))
        {
            return cloudEvent.Data switch
            {
                byte[] image => ImageRequest(image),
                ReadOnlyMemory<byte> image => ImageRequest(image),
                _ => throw Problems.InvalidRequest.Failure(
                    "The CloudEvent's image must be its data in binary mode, or its data_base64 in structured mode."),
            };
        }

        throw UnsupportedDataContentType();
    }

    private static ClassificationRequest ImageRequest(ReadOnlyMemory<byte> image) =>
        image.Length > 0
            ? new ClassificationRequest(null, image, null)
            : throw Problems.InvalidRequest.Failure("The image is empty.");

    private static ClassificationException UnsupportedDataContentType() =>
        Problems.UnsupportedMediaType.Failure("The CloudEvent's data must be application/json or image/*.");
}
