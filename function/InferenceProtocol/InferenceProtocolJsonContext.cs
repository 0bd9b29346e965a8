using System.Text.Json.Serialization;

namespace ImageClassifier.InferenceProtocol;

/// <summary>
/// Source-generated serializers for the protocol's messages (snake_case, as the protocol spells
/// them), so no reflection-based metadata is built on a cold start.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(InferRequest))]
[JsonSerializable(typeof(InferResponse))]
[JsonSerializable(typeof(ErrorReply))]
[JsonSerializable(typeof(ServerMetadata))]
[JsonSerializable(typeof(ModelMetadata))]
[JsonSerializable(typeof(ServerLive))]
[JsonSerializable(typeof(ServerReady))]
[JsonSerializable(typeof(ModelReady))]
internal sealed partial class InferenceProtocolJsonContext : JsonSerializerContext;
