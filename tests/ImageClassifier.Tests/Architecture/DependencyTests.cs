namespace ImageClassifier.Tests.Architecture;

/// <summary>The dependency rule of ARCHITECTURE.md: the function's folders depend on each other one way only.</summary>
public sealed class DependencyTests
{
    private const string Root = "ImageClassifier";

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

    [Theory]
    [InlineData("ImageClassifier.Fetching")]
    [InlineData("ImageClassifier.Imaging")]
    [InlineData("ImageClassifier.Inference")]
    [InlineData("ImageClassifier.Memory")]
    [InlineData("ImageClassifier.Scheduling")]
    [InlineData("ImageClassifier.Failures")]
    [InlineData("ImageClassifier.Observability")]
    [InlineData("ImageClassifier.Settings")]
    public void No_stage_folder_uses_a_root_type_attributes_included(string stage)
    {
        Assert.DoesNotContain("ImageClassifier", Function.Edges[stage]);
    }

    [Fact]
    public void The_dependency_table_of_the_architecture_names_every_arrow_and_no_other()
    {
        var documented = ArchitectureTable();
        var actual = Function.Edges.Where(pair => pair.Key == Root || pair.Key.StartsWith(Root + ".", StringComparison.Ordinal))
            .SelectMany(pair => pair.Value.Select(used => $"{Short(pair.Key)} -> {Short(used)}"))
            .ToHashSet(StringComparer.Ordinal);
        var folders = Function.Edges.Keys.Where(ns => ns.StartsWith(Root + ".", StringComparison.Ordinal)).Select(Short).Append(Short(Root));

        var undocumented = actual.Except(documented.Arrows).Order(StringComparer.Ordinal).ToList();
        var absent = documented.Arrows.Except(actual).Order(StringComparer.Ordinal).ToList();

        Assert.True(undocumented.Count == 0, "Arrows the code has and ARCHITECTURE.md's table does not: " + string.Join(", ", undocumented));
        Assert.True(absent.Count == 0, "Arrows ARCHITECTURE.md's table has and the code does not: " + string.Join(", ", absent));
        Assert.Empty(folders.Except(documented.Folders));
    }

    [Theory]
    [InlineData("[SettingRange(1, 10, ErrorMessage = \"X must be between 1 and 10.\")]")]
    [InlineData("[SettingRange]")]
    [InlineData("[ConfigurationKeyName(\"X\"), SettingRange(1, 10)]")]
    [InlineData("[Required,\n SettingRange (1, 10)]")]
    [InlineData("[property: SettingRange(1, 10)]")]
    [InlineData("[SettingRangeAttribute(1, 10)]")]
    public void An_attribute_in_its_short_form_names_its_attribute_class(string code)
    {
        Assert.True(NamespaceGraph.Mentions(code, "SettingRangeAttribute"));
    }

    [Theory]
    [InlineData("[Range(1, 10)]")]
    [InlineData("var settingRange = SettingRanges(1);")]
    [InlineData("[MySettingRange(1, 10)]")]
    [InlineData("x.SettingRange(1, 10)")]
    public void A_name_that_only_resembles_the_attribute_is_not_it(string code)
    {
        Assert.False(NamespaceGraph.Mentions(code, "SettingRangeAttribute"));
    }

    [Fact]
    public void A_root_attribute_used_in_its_short_form_is_a_dependency_on_the_root()
    {
        var graph = ReadSources(
            ("Func.cs", "using ImageClassifier.Fetching;\nnamespace ImageClassifier;\npublic sealed class Func(FetchOptions options);\n"),
            ("SettingRangeAttribute.cs", "namespace ImageClassifier;\npublic sealed class SettingRangeAttribute(double minimum, double maximum) : Attribute;\n"),
            ("FetchOptions.cs", "namespace ImageClassifier.Fetching;\npublic sealed class FetchOptions\n{\n    [SettingRange(1, 10)]\n    public int Retries { get; set; }\n}\n"));

        Assert.Equal(["ImageClassifier", "ImageClassifier.Fetching"], Assert.Single(graph.Cycles()));
    }

    [Fact]
    public void An_enclosing_namespaces_types_count_as_a_dependency_without_a_using()
    {
        var graph = ReadSources(
            ("Registration.cs", "using ImageClassifier.MLflow.Client;\nnamespace ImageClassifier.MLflow;\npublic static class Registration { public static RestClient Client { get; } = new(); }\n"),
            ("RestClient.cs", "namespace ImageClassifier.MLflow.Client;\n/// <summary>Registered by <see cref=\"Registration\"/>.</summary>\npublic sealed class RestClient;\n"));

        Assert.Contains("ImageClassifier.MLflow", graph.Edges["ImageClassifier.MLflow.Client"]);
    }

    [Fact]
    public void A_namespace_line_uses_no_enclosing_namespace_and_a_relative_name_resolves_as_in_CSharp()
    {
        var graph = ReadSources(
            ("Registration.cs", "namespace ImageClassifier.MLflow;\npublic static class Registration { public static object Client { get; } = new Client.RestClient(); }\n"),
            ("RestClient.cs", "namespace ImageClassifier.MLflow.Client;\npublic sealed class RestClient;\n"));

        Assert.Empty(graph.Edges["ImageClassifier.MLflow.Client"]);
        Assert.Equal("ImageClassifier.MLflow.Client", Assert.Single(graph.Edges["ImageClassifier.MLflow"]));
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
        var graph = ReadSources(
            ("Func.cs", "using ImageClassifier.Fetching;\nnamespace ImageClassifier;\npublic sealed class Func(IImageFetcher fetcher);\n"),
            ("Fetcher.cs", "namespace ImageClassifier.Fetching;\npublic interface IImageFetcher { Func Back { get; } }\n"));

        Assert.Single(graph.Cycles());
    }

    /// <summary>The graph of C# sources, each written to a file of its name in a folder of their own.</summary>
    private static NamespaceGraph ReadSources(params (string Name, string Text)[] sources)
    {
        var folder = Directory.CreateTempSubdirectory("namespace-graph-").FullName;
        try
        {
            foreach (var (name, text) in sources)
            {
                File.WriteAllText(Path.Combine(folder, name), text);
            }

            return NamespaceGraph.Read(folder);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The folder names of ARCHITECTURE.md's table "| folder | uses |": <c>root</c> for the root namespace, <c>—</c> for nothing.</summary>
    private static (HashSet<string> Folders, HashSet<string> Arrows) ArchitectureTable()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "ARCHITECTURE.md"));
        var header = Array.FindIndex(lines, line => line.Replace(" ", "", StringComparison.Ordinal) == "|folder|uses|");
        Assert.True(header >= 0, "ARCHITECTURE.md has no table \"| folder | uses |\".");
        var folders = new HashSet<string>(StringComparer.Ordinal);
        var arrows = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in lines.Skip(header + 2).TakeWhile(line => line.StartsWith('|')))
        {
            var cells = row.Trim('|').Split('|');
            var folder = cells[0].Trim().Trim('`');
            folders.Add(folder);
            foreach (var used in cells[1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Where(cell => cell != "—"))
            {
                arrows.Add($"{folder} -> {used.Trim('`')}");
            }
        }

        return (folders, arrows);
    }

    private static string Short(string ns) => ns == Root ? "root" : ns[(Root.Length + 1)..];
}
