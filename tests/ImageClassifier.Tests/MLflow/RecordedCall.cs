namespace ImageClassifier.Tests.MLflow;

/// <summary>One request the MLflow stand-in received, as it arrived, and the JSON an API endpoint answered.</summary>
public sealed record RecordedCall(
    string Method, string Path, string Query, string? ContentType, string? Authorization, byte[] Body, int Status, string? Answer = null)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Body);

    public System.Text.Json.Nodes.JsonNode Json => System.Text.Json.Nodes.JsonNode.Parse(Body)!;

    public override string ToString() => $"{Method} {Path}{Query} → {Status}";
}
