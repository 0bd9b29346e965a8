using System.Text.Json;
using System.Text.Unicode;

namespace ImageClassifier.Http;

/// <summary>
/// Parses a request's JSON. <see cref="JsonDocument"/>'s parser
/// checks the structure but leaves the UTF-8 inside strings to be checked when a string is
/// read, where it throws <see cref="InvalidOperationException"/>; checking it first turns bad
/// bytes into the same <see cref="JsonException"/> as any other malformed JSON (found by fuzzing).
/// </summary>
internal static class Utf8Json
{
    public static JsonDocument Parse(ReadOnlyMemory<byte> json) =>
        Utf8.IsValid(json.Span) ? JsonDocument.Parse(json) : throw new JsonException("The JSON text is not valid UTF-8.");
}
