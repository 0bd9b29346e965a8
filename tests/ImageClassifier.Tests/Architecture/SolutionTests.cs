using System.Xml.Linq;

namespace ImageClassifier.Tests.Architecture;

/// <summary>
/// Every project of the repository is in ImageClassifier.slnx, so the README's test command (which
/// CI runs) compiles the benchmarks and the fuzzing harness too, not only what the tests reference.
/// </summary>
public sealed class SolutionTests
{
    /// <summary>Folders that hold build output or downloads, never a project of the repository.</summary>
    private static readonly string[] Generated = ["bin", "obj", "node_modules", "out"];

    [Fact]
    public void Every_project_of_the_repository_is_in_the_solution()
    {
        var solution = XDocument.Load(Path.Combine(RepositoryRoot.Path, "ImageClassifier.slnx"));
        var listed = solution.Descendants("Project").Select(project => (string)project.Attribute("Path")!).ToHashSet(StringComparer.Ordinal);
        var projects = Directory.EnumerateFiles(RepositoryRoot.Path, "*.csproj", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(RepositoryRoot.Path, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(path => !path.Split('/').Any(folder => Generated.Contains(folder) || folder.StartsWith('.')))
            .ToList();

        Assert.Contains("bench/Microbenchmarks/Microbenchmarks.csproj", projects);
        Assert.Empty(projects.Except(listed).Order(StringComparer.Ordinal));
    }
}
