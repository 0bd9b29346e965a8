using System.Text.Json.Serialization;

namespace ImageClassifier.InferenceProtocol;

/// <summary>
/// A tensor's elements in row-major order, whatever nesting the JSON gave them: numbers for
/// numeric datatypes, byte strings (base64 in JSON) for BYTES. Which one is allowed is decided
/// against the datatype once the whole input is read, since JSON does not fix the order of its
/// properties.
/// </summary>
[JsonConverter(typeof(TensorDataConverter))]
internal sealed class TensorData
{
    public List<float> Numbers { get; } = [];

    public List<byte[]> Bytes { get; } = [];

    public int Count => Numbers.Count + Bytes.Count;
}
