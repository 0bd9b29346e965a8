namespace ImageClassifier.Tests.Config;

/// <summary>catalog/catalog-info.yaml: a Backstage Component that TAP GUI can tie to the running workload.</summary>
public class CatalogInfoTests
{
    private readonly YamlDotNet.RepresentationModel.YamlMappingNode _catalog = Yaml.Load("catalog/catalog-info.yaml");

    [Fact]
    public void Is_a_Backstage_service_component_with_an_owner()
    {
        Assert.Equal("backstage.io/v1alpha1", _catalog.Text("apiVersion"));
        Assert.Equal("Component", _catalog.Text("kind"));
        Assert.Equal("service", _catalog.Text("spec.type"));
        Assert.Contains(_catalog.Text("spec.lifecycle"), new[] { "experimental", "production", "deprecated" });
        Assert.False(string.IsNullOrEmpty(_catalog.Text("spec.owner")));
        Assert.False(string.IsNullOrEmpty(_catalog.Text("spec.system")));
    }

    [Fact]
    public void Is_named_as_the_workload_and_selects_its_part_of_label()
    {
        var workload = Yaml.Load(Manifests.Workload);
        var partOf = workload.Scalars("metadata.labels")["app.kubernetes.io/part-of"];

        Assert.Equal(workload.Text("metadata.name"), _catalog.Text("metadata.name"));
        Assert.Equal($"app.kubernetes.io/part-of={partOf}", _catalog.Scalars("metadata.annotations")["backstage.io/kubernetes-label-selector"]);
    }
}
