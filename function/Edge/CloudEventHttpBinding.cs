using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.Http;
using CloudNative.CloudEvents.SystemTextJson;
using ImageClassifier.Failures;

namespace ImageClassifier.Edge;

/// <summary>
/// The CloudEvents HTTP protocol binding (binary and structured mode) on the core SDK's
/// formatter and helpers, since the SDK's ASP.NET Core package is not available here. Every
/// event read is checked to be a valid CloudEvents 1.0 event; what is wrong becomes a 400
/// with a detail that names it.
/// </summary>
internal sealed class CloudEventHttpBinding(AttributeLimits limits)
{
    private static readonly string[] RequiredStringAttributes =
    [
        CloudEventsSpecVersion.V1_0.IdAttribute.Name,
        CloudEventsSpecVersion.V1_0.SourceAttribute.Name,
        CloudEventsSpecVersion.V1_0.TypeAttribute.Name,
    ];

    private static readonly string SpecVersionName = CloudEventsSpecVersion.SpecVersionAttribute.Name;

    private readonly JsonEventFormatter formatter = new(EdgeJsonContext.Default.Options, default);

    /// <summary>
    /// Reads a binary-mode event's attributes from the <c>ce-</c> headers and Content-Type,
    /// without its data, so the caller can decide from them how much body to read.
    /// </summary>
    public CloudEvent ReadBinaryModeAttributes(HttpRequest request)
    {
        request.Headers.TryGetValue(HttpUtilities.SpecVersionHttpHeader, out var specVersion);
        CheckSpecVersion(specVersion.Count == 1 ? specVersion[0] : null);

        var cloudEvent = new CloudEvent(CloudEventsSpecVersion.V1_0);
        foreach (var (header, values) in request.Headers)
        {
            var name = HttpUtilities.GetAttributeNameFromHeaderName(header);
            if (name is null || name == SpecVersionName)
            {
                continue;
            }

            if (values.Count != 1)
            {
                throw Problems.InvalidCloudEvent.Failure($"The CloudEvent attribute \"{name}\" is given more than once.");
            }

            SetAttribute(cloudEvent, name, DecodeHeaderValue(name, values[0]!));
        }

        if (request.ContentType is { } contentType)
        {
            SetAttribute(cloudEvent, cloudEvent.SpecVersion.DataContentTypeAttribute.Name, contentType);
        }

        CheckRequiredAttributes(cloudEvent);
        limits.Check(cloudEvent);
        return cloudEvent;
    }

    /// <summary>
    /// Sets a binary-mode event's data from the body: JSON is parsed; anything else stays the
    /// body's bytes, not copied (it can be a large image), valid as long as the body is.
    /// </summary>
    public static void DecodeBinaryModeData(CloudEvent cloudEvent, ReadOnlyMemory<byte> body)
    {
        if (!MediaTypes.IsJson(cloudEvent.DataContentType))
        {
            cloudEvent.Data = body;
            return;
        }

        // Parsed here rather than by the formatter, which matches "application/json" case-sensitively.
        using var document = Utf8Json.Parse(body, e => Problems.InvalidRequest.Failure("The CloudEvent's data is not valid JSON.", e));
        cloudEvent.Data = document.RootElement.Clone();
    }

    /// <summary>Reads a structured-mode event in the JSON event format.</summary>
    public CloudEvent DecodeStructuredMode(ReadOnlyMemory<byte> body)
    {
        using var document = Utf8Json.Parse(body, e => Problems.InvalidCloudEvent.Failure("The CloudEvent is not valid JSON.", e));
        return DecodeStructuredMode(document.RootElement);
    }

    /// <summary>Reads one structured-mode event already parsed, such as an element of a batch.</summary>
    public CloudEvent DecodeStructuredMode(JsonElement root)
    {
        CheckStructuredEnvelope(root);
        CloudEvent cloudEvent;
        try
        {
            cloudEvent = formatter.ConvertFromJsonElement(root, null);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            throw Problems.InvalidCloudEvent.Failure("The CloudEvent has an attribute or data whose value is not valid.", e);
        }

        limits.Check(cloudEvent);
        return cloudEvent;
    }

    /// <summary>Writes events as a batch-mode response body (<c>application/cloudevents-batch+json</c>).</summary>
    public async Task WriteBatchAsync(IReadOnlyList<CloudEvent> cloudEvents, HttpResponse response, CancellationToken cancellationToken)
    {
        var content = formatter.EncodeBatchModeMessage(cloudEvents, out var contentType);
        response.ContentType = contentType.ToString();
        response.ContentLength = content.Length;
        await response.Body.WriteAsync(content, cancellationToken);
    }

    /// <summary>Writes an event as the response body, in binary or structured mode.</summary>
    public async Task WriteAsync(CloudEvent cloudEvent, ContentMode mode, HttpResponse response, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte> content;
        if (mode == ContentMode.Structured)
        {
            content = formatter.EncodeStructuredModeMessage(cloudEvent, out var contentType);
            response.ContentType = contentType.ToString();
        }
        else
        {
            content = formatter.EncodeBinaryModeEventData(cloudEvent);
            response.ContentType = cloudEvent.DataContentType;
            response.Headers[HttpUtilities.SpecVersionHttpHeader] = cloudEvent.SpecVersion.VersionId;
            foreach (var (attribute, value) in cloudEvent.GetPopulatedAttributes())
            {
                if (attribute != cloudEvent.SpecVersion.DataContentTypeAttribute)
                {
                    response.Headers[HttpUtilities.HttpHeaderPrefix + attribute.Name] =
                        HttpUtilities.EncodeHeaderValue(attribute.Format(value));
                }
            }
        }

        response.ContentLength = content.Length;
        await response.Body.WriteAsync(content, cancellationToken);
    }

    private static void CheckSpecVersion(string? versionId)
    {
        if (versionId is null)
        {
            throw Problems.InvalidCloudEvent.Failure($"The CloudEvent has no \"{SpecVersionName}\" attribute.");
        }

        if (CloudEventsSpecVersion.FromVersionId(versionId) != CloudEventsSpecVersion.V1_0)
        {
            throw Problems.InvalidCloudEvent.Failure($"The CloudEvent's \"{SpecVersionName}\" must be \"1.0\", the only version supported.");
        }
    }

    /// <summary>The SDK throws <see cref="ArgumentException"/> on a bad percent-encoding or quoting (found by fuzzing).</summary>
    private static string DecodeHeaderValue(string name, string value)
    {
        try
        {
            return HttpUtilities.DecodeHeaderValue(value);
        }
        catch (ArgumentException e)
        {
            throw Problems.InvalidCloudEvent.Failure($"The CloudEvent attribute \"{name}\" has a header value that is not validly encoded.", e);
        }
    }

    private static void SetAttribute(CloudEvent cloudEvent, string name, string value)
    {
        try
        {
            cloudEvent.SetAttributeFromString(name, value);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw Problems.InvalidCloudEvent.Failure($"The CloudEvent attribute \"{name}\" has a value that is not valid.", e);
        }
    }

    private static void CheckRequiredAttributes(CloudEvent cloudEvent)
    {
        foreach (var attribute in cloudEvent.SpecVersion.RequiredAttributes)
        {
            if (cloudEvent[attribute] is null)
            {
                throw Problems.InvalidCloudEvent.Failure($"The CloudEvent has no \"{attribute.Name}\" attribute.");
            }
        }
    }

    /// <summary>
    /// Checks what the formatter would reject with a message not meant for callers, so that
    /// the caller learns which attribute is wrong.
    /// </summary>
    private static void CheckStructuredEnvelope(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Problems.InvalidCloudEvent.Failure("A structured-mode CloudEvent must be a JSON object.");
        }

        CheckSpecVersion(root.TryGetProperty(SpecVersionName, out var specVersion) && specVersion.ValueKind == JsonValueKind.String
            ? specVersion.GetString()
            : null);

        foreach (var name in RequiredStringAttributes)
        {
            if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                throw Problems.InvalidCloudEvent.Failure($"The CloudEvent has no \"{name}\" attribute.");
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                throw Problems.InvalidCloudEvent.Failure($"The CloudEvent attribute \"{name}\" must be a string.");
            }
        }

        if (IsPresent(root, "data") && IsPresent(root, "data_base64"))
        {
            throw Problems.InvalidCloudEvent.Failure("The CloudEvent has both \"data\" and \"data_base64\"; it may have only one.");
        }
    }

    private static bool IsPresent(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;
}
