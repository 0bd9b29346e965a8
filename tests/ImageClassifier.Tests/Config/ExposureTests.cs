using System.Text.Json.Nodes;
using ImageClassifier.Observability;

namespace ImageClassifier.Tests.Config;

/// <summary>
/// What the manifests expose: /metrics on METRICS_PORT, scraped by pod annotation, in every
/// manifest that runs the function; and a cluster-local variant of the Service for a function fed
/// only by a Broker.
/// </summary>
public class ExposureTests
{
    private const string Visibility = "networking.knative.dev/visibility";

    public static TheoryData<string> ScrapeAnnotated => new() { Manifests.Service, Manifests.ClusterLocalService, Manifests.Workload, Manifests.Func };

    [Theory]
    [MemberData(nameof(ScrapeAnnotated))]
    public void Metrics_are_on_a_port_of_their_own_that_the_scrape_annotations_name(string manifest)
    {
        var port = Manifests.EnvOf(manifest)["METRICS_PORT"];
        var annotations = ScrapeAnnotations(manifest);

        Assert.False(string.IsNullOrEmpty(port), $"{manifest} serves /metrics on the port the Service exposes.");
        Assert.Equal("true", annotations["prometheus.io/scrape"]);
        Assert.Equal(port, annotations["prometheus.io/port"]);
        Assert.Equal(ObservabilityHosting.MetricsPath, annotations["prometheus.io/path"]);
    }

    [Fact]
    public void The_cluster_local_Service_is_the_Service_with_only_the_visibility_label_added()
    {
        var service = Assert.Single(YamlJson.Load(Manifests.Service));
        var clusterLocal = Assert.Single(YamlJson.Load(Manifests.ClusterLocalService));
        var labels = clusterLocal["metadata"]!["labels"]!.AsObject();

        Assert.Equal("cluster-local", (string?)labels[Visibility]);
        Assert.Null(service["metadata"]!["labels"]?[Visibility]);
        labels.Remove(Visibility);
        Assert.True(JsonNode.DeepEquals(service, clusterLocal), $"{Manifests.ClusterLocalService} differs from {Manifests.Service} beyond its visibility label.");
    }

    [Fact]
    public void The_accelerator_renames_the_cluster_local_Service_as_it_does_the_Service()
    {
        var accelerator = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "accelerator.yaml"));

        Assert.Contains($"\"{Manifests.Service}\", \"{Manifests.ClusterLocalService}\"", accelerator, StringComparison.Ordinal);
    }

    private static IReadOnlyDictionary<string, string> ScrapeAnnotations(string manifest)
    {
        var document = Yaml.Load(manifest);
        return manifest switch
        {
            Manifests.Service or Manifests.ClusterLocalService => document.Scalars("spec.template.metadata.annotations"),
            Manifests.Workload => Assert.Single(document.Items("spec.params"), param => param.Text("name") == "annotations").Scalars("value"),
            Manifests.Func => document.Scalars("deploy.annotations"),
            _ => throw new ArgumentOutOfRangeException(nameof(manifest), manifest, "Not a manifest that runs the function."),
        };
    }
}
