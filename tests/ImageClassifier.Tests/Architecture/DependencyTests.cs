namespace ImageClassifier.Tests.Architecture;

/// <summary>The dependency rule of ARCHITECTURE.md: the function's folders depend on each other one way only.</summary>
public sealed class DependencyTests
{
    private static readonly NamespaceGraph Function = NamespaceGraph.Read(Path.Combine(RepositoryRoot.Path, "function"));

    [Fact]
    public void No_two_folders_of_the_function_depend_on_each_other_in_a_cycle()
    {
        var cycles = Function.Cycles();

        Assert.True(cycles.Count == 0, "Namespaces in a cycle: " + string.Join("; ", cycles.Select(cycle => string.Join(" <-> ", cycle))));
    }

    [Fact]
    public void The_scan_sees_the_dependencies_the_architecture_names()
    {
        // Guards the scan itself: were it to see nothing, the cycle test would pass vacuously.
        Assert.Contains("ImageClassifier", Function.Edges["ImageClassifier.Delivery"]);
        Assert.Contains("ImageClassifier.Fetching", Function.Edges["ImageClassifier"]);
        Assert.Contains("ImageClassifier.Delivery", Function.Edges["ImageClassifier.Edge"]);
        Assert.Contains("ImageClassifier.Inference", Function.Edges["ImageClassifier.MLflow"]);
        Assert.Contains("ImageClassifier.Failures", Function.Edges["ImageClassifier.Imaging"]);
    }

    [Theory]
    [InlineData("ImageClassifier.Edge", "ImageClassifier.Delivery")]
    [InlineData("ImageClassifier.Delivery", "ImageClassifier")]
    [InlineData("ImageClassifier", "ImageClassifier.Fetching")]
    [InlineData("ImageClassifier.Inference", "ImageClassifier.Imaging")]
    [InlineData("ImageClassifier.MLflow", "ImageClassifier.Inference")]
    public void Dependencies_point_from_the_edge_inward(string outer, string inner)
    {
        Assert.DoesNotContain(outer, Function.Edges[inner]);
    }

    [Fact]
    public void A_cycle_through_three_folders_is_found()
    {
        var graph = NamespaceGraph.Of(new Dictionary<string, IReadOnlySet<string>>
        {
            ["A"] = new HashSet<string> { "B" },
            ["B"] = new HashSet<string> { "C" },
            ["C"] = new HashSet<string> { "A" },
            ["D"] = new HashSet<string> { "A" },
        });

        Assert.Equal(["A", "B", "C"], Assert.Single(graph.Cycles()));
    }

    [Fact]
    public void The_root_namespaces_types_count_as_a_dependency_without_a_using()
    {
        var folder = Directory.CreateTempSubdirectory("namespace-graph-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "Func.cs"), "using ImageClassifier.Fetching;\nnamespace ImageClassifier;\npublic sealed class Func(IImageFetcher fetcher);\n");
            File.WriteAllText(Path.Combine(folder, "Fetcher.cs"), "namespace ImageClassifier.Fetching;\npublic interface IImageFetcher { Func Back { get; } }\n");

            Assert.Single(NamespaceGraph.Read(folder).Cycles());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
