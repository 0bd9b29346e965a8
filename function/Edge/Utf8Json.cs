using System.Text.Json;
using System.Text.Unicode;
using ImageClassifier.Failures;

namespace ImageClassifier.Edge;

/// <summary>
/// Parses a request's JSON. <see cref="JsonDocument"/>'s parser
/// checks the structure but leaves the UTF-8 inside strings to be checked when a string is
/// read, where it throws <see cref="InvalidOperationException"/>; checking it first turns bad
/// bytes into the same refusal as any other malformed JSON (found by fuzzing).
/// </summary>
internal static class Utf8Json
{
    /// <summary>Parses <paramref name="json"/>, or throws what <paramref name="invalid"/> makes of the reason it is not JSON.</summary>
    public static JsonDocument Parse(ReadOnlyMemory<byte> json, Func<JsonException, ClassificationException> invalid)
    {
        try
        {
            return Utf8.IsValid(json.Span) ? JsonDocument.Parse(json) : throw new JsonException("The JSON text is not valid UTF-8.");
        }
        catch (JsonException e)
        {
            throw invalid(e);
        }
    }
}
