using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace ImageClassifier.Tests.Config;

/// <summary>What the code reads from the environment, found in the code itself, and what the README documents.</summary>
public static partial class Settings
{
    /// <summary>Requests the function handles at once by default: the admission limit the manifests must match.</summary>
    public static int AdmissionLimit { get; } = ImageClassifier.Hosting.AdmissionOptions.DefaultMaxConcurrentRequests;

    /// <summary>
    /// Bound names the manifests leave unset on purpose: unset LABELS_PATH means the labels
    /// bundled with the model, and no value (not even empty) says that; likewise unset
    /// MEMORY_BUDGET_BYTES means the budget worked out from the memory limit; MLflow's credentials
    /// come from a Secret that docs/mlops.md shows how to add, never from a manifest's value; PORT is
    /// Knative's to set (it reserves the name and passes containerPort).
    /// </summary>
    public static readonly IReadOnlySet<string> UnsetInManifests = new HashSet<string>(StringComparer.Ordinal)
    {
        "LABELS_PATH", "MEMORY_BUDGET_BYTES", "MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD", "MLFLOW_TRACKING_TOKEN", "PORT",
    };

    /// <summary>Every <c>[ConfigurationKeyName]</c> on every options class of the function, so a new option is caught.</summary>
    public static IReadOnlySet<string> BoundNames { get; } = typeof(Program).Assembly.GetTypes()
        .SelectMany(type => type.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance))
        .Select(property => property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name)
        .OfType<string>()
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>The variables named in the first column of the README's Configuration table.</summary>
    public static IReadOnlySet<string> DocumentedNames { get; } = ReadDocumentedNames();

    private static HashSet<string> ReadDocumentedNames()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md"));
        var start = readme.IndexOf("\n## Configuration\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no '## Configuration' section.");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = readme[start..(end < 0 ? readme.Length : end)];
        return section.Split('\n')
            .Where(line => line.StartsWith('|'))
            .Select(line => line.Split('|')[1])
            .SelectMany(cell => VariableName().Matches(cell).Select(match => match.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);
    }

    [GeneratedRegex("`([A-Z][A-Z0-9_]+)`")]
    private static partial Regex VariableName();
}
