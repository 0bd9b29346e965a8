using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.Core;
using CloudNative.CloudEvents.Http;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Http;

/// <summary>
/// Recognises which of the request forms in DESIGN.md's Interface table arrived, reads its body
/// within the limit for that form, and says what to classify.
/// </summary>
internal sealed class RequestReader(
    CloudEventHttpBinding binding,
    IOptions<EdgeOptions> edgeOptions,
    IOptions<FunctionOptions> functionOptions)
{
    private const string AcceptedContentTypes =
        "Send application/json, image/*, or a CloudEvent in binary mode or as application/cloudevents+json.";

    public async Task<IncomingRequest> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var contentType = request.ContentType;
        if (MimeUtilities.IsCloudEventsBatchContentType(contentType))
        {
            throw EdgeFailures.UnsupportedMediaType("CloudEvents batches are not supported yet; send one event per request.");
        }

        if (MimeUtilities.IsCloudEventsContentType(contentType))
        {
            return await ReadStructuredModeAsync(request, cancellationToken);
        }

        if (request.Headers.ContainsKey(HttpUtilities.SpecVersionHttpHeader))
        {
            return await ReadBinaryModeAsync(request, cancellationToken);
        }

        if (MediaTypes.IsJson(contentType))
        {
            var body = await BodyReader.ReadAsync(request, edgeOptions.Value.MaxRequestBytes, cancellationToken);
            return new IncomingRequest(RequestForm.PlainJson, null, RequestBodyParser.Parse(body));
        }

        if (MediaTypes.IsImage(contentType))
        {
            var body = await BodyReader.ReadAsync(request, edgeOptions.Value.FetchMaxBytes, cancellationToken);
            return new IncomingRequest(RequestForm.RawImage, null, ImageRequest(body));
        }

        throw EdgeFailures.UnsupportedMediaType($"The content type is not one the function reads. {AcceptedContentTypes}");
    }

    private async Task<IncomingRequest> ReadStructuredModeAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!MediaTypes.IsStructuredCloudEventJson(request.ContentType))
        {
            throw EdgeFailures.UnsupportedMediaType(
                $"Structured-mode CloudEvents are read in the JSON event format only ({MediaTypes.StructuredCloudEventJson}).");
        }

        var body = await BodyReader.ReadAsync(request, edgeOptions.Value.MaxStructuredEventBytes, cancellationToken);
        return FromEvent(RequestForm.StructuredCloudEvent, binding.DecodeStructuredMode(body));
    }

    private async Task<IncomingRequest> ReadBinaryModeAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var cloudEvent = CloudEventHttpBinding.ReadBinaryModeAttributes(request);
        if (IsOwnReply(cloudEvent))
        {
            // The body of a looped reply is of no use, so it is not read at all.
            return new IncomingRequest(RequestForm.BinaryCloudEvent, cloudEvent, null);
        }

        var limit = cloudEvent.DataContentType switch
        {
            var type when MediaTypes.IsJson(type) => edgeOptions.Value.MaxRequestBytes,
            var type when MediaTypes.IsImage(type) => edgeOptions.Value.FetchMaxBytes,
            _ => throw UnsupportedDataContentType(),
        };
        CloudEventHttpBinding.DecodeBinaryModeData(cloudEvent, await BodyReader.ReadAsync(request, limit, cancellationToken));
        return FromEvent(RequestForm.BinaryCloudEvent, cloudEvent);
    }

    private IncomingRequest FromEvent(RequestForm form, CloudEvent cloudEvent) =>
        new(form, cloudEvent, IsOwnReply(cloudEvent) ? null : FromEventData(cloudEvent));

    private bool IsOwnReply(CloudEvent cloudEvent) =>
        string.Equals(cloudEvent.Type, functionOptions.Value.CeType, StringComparison.Ordinal);

    private static ClassificationRequest FromEventData(CloudEvent cloudEvent)
    {
        // The JSON event format's rule: data without a datacontenttype is JSON.
        var dataContentType = cloudEvent.DataContentType ?? MediaTypes.Json;
        if (MediaTypes.IsJson(dataContentType))
        {
            return cloudEvent.Data is JsonElement json
                ? RequestBodyParser.Parse(json)
                : throw EdgeFailures.InvalidRequest("The CloudEvent has no JSON data naming the image.");
        }

        if (MediaTypes.IsImage(dataContentType))
        {
            return cloudEvent.Data is byte[] image
                ? ImageRequest(image)
                : throw EdgeFailures.InvalidRequest(
                    "The CloudEvent's image must be its data in binary mode, or its data_base64 in structured mode.");
        }

        throw UnsupportedDataContentType();
    }

    private static ClassificationRequest ImageRequest(byte[] image) =>
        image.Length > 0
            ? new ClassificationRequest(null, image, null)
            : throw EdgeFailures.InvalidRequest("The image is empty.");

    private static ClassificationException UnsupportedDataContentType() =>
        EdgeFailures.UnsupportedMediaType("The CloudEvent's data must be application/json or image/*.");
}
