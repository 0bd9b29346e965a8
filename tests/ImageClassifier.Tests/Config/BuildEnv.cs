using Tomlyn;
using Tomlyn.Model;

namespace ImageClassifier.Tests.Config;

/// <summary>The buildpack build environment project.toml declares, the one every other build must use.</summary>
public static class BuildEnv
{
    public static IReadOnlyDictionary<string, string?> FromProjectToml()
    {
        var toml = TomlSerializer.Deserialize<TomlTable>(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "project.toml")))!;
        var buildpacks = (TomlTable)((TomlTable)toml["io"])["buildpacks"];
        var env = (TomlTableArray)((TomlTable)buildpacks["build"])["env"];
        return env.ToDictionary(entry => (string)entry["name"], entry => (string?)entry["value"], StringComparer.Ordinal);
    }
}
