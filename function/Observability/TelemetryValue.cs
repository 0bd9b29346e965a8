namespace ImageClassifier.Observability;

/// <summary>
/// What logs, spans and MLflow carry of a value a caller chose, such as an event's id or source:
/// its first <see cref="MaxLength"/> characters, enough to find the event, never a burden.
/// </summary>
public static class TelemetryValue
{
    public const int MaxLength = 256;

    public static string? Cut(string? value) => value is { Length: > MaxLength } ? value[..MaxLength] : value;
}
