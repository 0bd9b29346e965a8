using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImageClassifier.InferenceProtocol;

/// <summary>
/// Reads a tensor's data, flat or nested, straight into one flat list; mixed element kinds are
/// malformed. Base64 strings are decoded from the UTF-8 body as they are read, so an image is
/// never held as a UTF-16 string too.
/// </summary>
internal sealed class TensorDataConverter : JsonConverter<TensorData>
{
    public override TensorData Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("Tensor data must be an array.");
        }

        var data = new TensorData();
        var depth = 0;
        do
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartArray:
                    depth++;
                    break;
                case JsonTokenType.EndArray:
                    depth--;
                    break;
                case JsonTokenType.Number when data.Bytes.Count == 0 && reader.TryGetSingle(out var value) && float.IsFinite(value):
                    data.Numbers.Add(value);
                    break;
                case JsonTokenType.String when data.Numbers.Count == 0 && reader.TryGetBytesFromBase64(out var bytes):
                    data.Bytes.Add(bytes);
                    break;
                default:
                    throw new JsonException("Tensor data must hold only finite numbers or only base64 strings.");
            }
        }
        while (depth > 0 && reader.Read());

        return data;
    }

    public override void Write(Utf8JsonWriter writer, TensorData value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var number in value.Numbers)
        {
            writer.WriteNumberValue(number);
        }

        foreach (var bytes in value.Bytes)
        {
            writer.WriteBase64StringValue(bytes);
        }

        writer.WriteEndArray();
    }
}
