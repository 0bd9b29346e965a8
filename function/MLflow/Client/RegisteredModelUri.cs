using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace ImageClassifier.MLflow.Client;

/// <summary>A model in MLflow's registry, as <c>mlflow.pyfunc.load_model</c> names it.</summary>
/// <param name="Name">The registered model's name.</param>
/// <param name="Version">The version number, for <c>models:/name/version</c>.</param>
/// <param name="Alias">The alias, for <c>models:/name@alias</c>.</param>
public sealed partial record RegisteredModelUri(string Name, string? Version, string? Alias)
{
    public static bool TryParse(string? value, [NotNullWhen(true)] out RegisteredModelUri? uri)
    {
        uri = null;
        var match = value is null ? Match.Empty : Pattern().Match(value.Trim());
        if (!match.Success)
        {
            return false;
        }

        var name = Uri.UnescapeDataString(match.Groups["name"].Value);
        uri = match.Groups["version"].Success
            ? new RegisteredModelUri(name, match.Groups["version"].Value, null)
            : new RegisteredModelUri(name, null, Uri.UnescapeDataString(match.Groups["alias"].Value));
        return true;
    }

    public override string ToString() => Alias is null ? $"models:/{Name}/{Version}" : $"models:/{Name}@{Alias}";

    [GeneratedRegex(@"^models:/(?<name>[^/@]+)(?:/(?<version>[0-9]+)|@(?<alias>[A-Za-z0-9_\-]+))$")]
    private static partial Regex Pattern();
}
