using System.Text.Json.Serialization;
using ImageClassifier.Delivery;
using Microsoft.AspNetCore.Mvc;

namespace ImageClassifier.Edge;

/// <summary>
/// Source-generated serializers for everything the edge reads and writes as JSON, so that no
/// reflection-based metadata is built on a cold start. Numbers are not read from strings:
/// <c>"topK": "5"</c> is a malformed request.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RequestBody))]
[JsonSerializable(typeof(ReplyData))]
[JsonSerializable(typeof(ProblemDetails))]
internal sealed partial class EdgeJsonContext : JsonSerializerContext;
