namespace ImageClassifier.Tests.Config;

/// <summary>accelerator.yaml: every option it offers is applied by a transform and reaches the file it claims to change.</summary>
public class AcceleratorTests
{
    private static readonly Dictionary<string, string> Chosen = new(StringComparer.Ordinal)
    {
        ["workloadName"] = "cat-detector",
        ["ceType"] = "com.example.images.classified",
        ["ceSource"] = "com.example.cat-detector",
        ["requestType"] = "com.example.images.uploaded",
        ["modelPath"] = "/models/resnet50.onnx",
    };

    private readonly Accelerator _accelerator = new();

    [Fact]
    public void Describes_itself_for_the_TAP_GUI()
    {
        Assert.False(string.IsNullOrWhiteSpace(_accelerator.Document.Text("accelerator.displayName")));
        Assert.False(string.IsNullOrWhiteSpace(_accelerator.Document.Text("accelerator.description")));
        Assert.StartsWith("https://", _accelerator.Document.Text("accelerator.iconUrl"), StringComparison.Ordinal);
        Assert.NotEmpty(_accelerator.Document.Items("accelerator.tags"));
        Assert.All(_accelerator.Document.Items("accelerator.options"), option =>
        {
            Assert.False(string.IsNullOrWhiteSpace(option.Text("label")));
            Assert.Equal("text", option.Text("inputType"));
        });
    }

    [Fact]
    public void Every_option_is_used_by_a_transform_and_every_variable_is_an_option()
    {
        var used = _accelerator.Children.SelectMany(child => child.Substitutions).SelectMany(s => SpelSubset.Variables(s.With)).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(_accelerator.Options.Keys.Order(StringComparer.Ordinal), used.Order(StringComparer.Ordinal));
        Assert.Equal(Chosen.Keys.Order(StringComparer.Ordinal), _accelerator.Options.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Each_transform_matches_files_that_hold_every_text_it_replaces()
    {
        var files = Accelerator.RepositoryFiles();

        Assert.All(_accelerator.Children.Where(child => child.Substitutions.Count > 0), child =>
        {
            Assert.All(child.Include, glob => Assert.True(new Accelerator.MergeChild([glob], [], []).Matches(files).Count > 0, $"'{glob}' matches no file."));
            foreach (var file in child.Matches(files))
            {
                var text = File.ReadAllText(Path.Combine(RepositoryRoot.Path, file));
                Assert.All(child.Substitutions, s => Assert.True(text.Contains(s.Text, StringComparison.Ordinal), $"{file} has no '{s.Text}'."));
            }
        });
    }

    [Fact]
    public void Every_page_that_shows_a_text_the_pages_transforms_replace_is_rewritten_too()
    {
        var pages = Accelerator.RepositoryFiles().Where(file => file.EndsWith(".md", StringComparison.Ordinal)).ToList();
        var texts = _accelerator.Children.Where(child => child.Matches(pages).Count > 0)
            .SelectMany(child => child.Substitutions).Select(s => s.Text).ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(texts);
        Assert.All(pages, page =>
        {
            var text = File.ReadAllText(Path.Combine(RepositoryRoot.Path, page));
            Assert.All(texts.Where(replaced => text.Contains(replaced, StringComparison.Ordinal)), replaced => Assert.True(
                _accelerator.Children.Any(child => child.Matches([page]).Count == 1 && child.Substitutions.Any(s => s.Text == replaced)),
                $"{page} shows '{replaced}', but no transform of accelerator.yaml rewrites it there."));
        });
    }

    [Fact]
    public void Every_file_is_produced_by_exactly_one_child()
    {
        var files = Accelerator.RepositoryFiles();

        Assert.All(files, file => Assert.True(
            _accelerator.Children.Count(child => child.Matches([file]).Count == 1) == 1,
            $"{file} is produced by {_accelerator.Children.Count(child => child.Matches([file]).Count == 1)} merge children, not 1."));
    }

    [Fact]
    public void The_defaults_reproduce_the_repository()
    {
        Assert.All(_accelerator.Render(_accelerator.Options), rendered =>
            Assert.Equal(File.ReadAllText(Path.Combine(RepositoryRoot.Path, rendered.Key)), rendered.Value));
    }

    [Fact]
    public void Chosen_values_reach_the_fields_they_name()
    {
        var rendered = _accelerator.Render(Chosen);

        foreach (var manifest in new[] { Manifests.Service, Manifests.ClusterLocalService, Manifests.Workload, Manifests.Func })
        {
            var document = Yaml.Parse(rendered[manifest]);
            var env = Manifests.EnvOf(manifest, document);
            Assert.Equal(Chosen["workloadName"], document.Text(manifest == Manifests.Func ? "name" : "metadata.name"));
            Assert.Equal(Chosen["ceType"], env["CE_TYPE"]);
            Assert.Equal(Chosen["ceSource"], env["CE_SOURCE"]);
            Assert.Equal(Chosen["modelPath"], env["MODEL_PATH"]);
        }

        var policy = Yaml.Parse(rendered[Manifests.NetworkPolicy]);
        Assert.Equal(Chosen["workloadName"], policy.Text("metadata.name"));
        Assert.Equal(Chosen["workloadName"], policy.Scalars("spec.podSelector.matchLabels")["serving.knative.dev/service"]);

        var trigger = Yaml.Parse(rendered[Manifests.Trigger]);
        Assert.Equal(Chosen["workloadName"], trigger.Text("metadata.name"));
        Assert.Equal(Chosen["workloadName"], trigger.Text("spec.subscriber.ref.name"));
        Assert.Equal(Chosen["requestType"], trigger.Text("spec.filter.attributes.type"));
        Assert.Equal(Chosen["workloadName"], Yaml.Parse(rendered["catalog/catalog-info.yaml"]).Text("metadata.name"));
        Assert.Contains($"tanzu apps workload tail {Chosen["workloadName"]}", rendered["docs/deploying.md"], StringComparison.Ordinal);
        Assert.Contains($"events of type `{Chosen["requestType"]}`", rendered["docs/deploying.md"], StringComparison.Ordinal);
        Assert.Contains($"ce-type: {Chosen["requestType"]}", rendered["README.md"], StringComparison.Ordinal);
        Assert.Contains($"\"type\": \"{Chosen["requestType"]}\"", rendered["docs/operating.md"], StringComparison.Ordinal);
    }
}
