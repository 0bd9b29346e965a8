using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImageClassifier.InferenceProtocol;

/// <summary>Reads a tensor's data, flat or nested, straight into one flat list; mixed element kinds are malformed.</summary>
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
                case JsonTokenType.Number when data.Strings.Count == 0 && reader.TryGetSingle(out var value) && float.IsFinite(value):
                    data.Numbers.Add(value);
                    break;
                case JsonTokenType.String when data.Numbers.Count == 0:
                    data.Strings.Add(reader.GetString()!);
                    break;
                default:
                    throw new JsonException("Tensor data must hold only finite numbers or only strings.");
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

        foreach (var text in value.Strings)
        {
            writer.WriteStringValue(text);
        }

        writer.WriteEndArray();
    }
}
