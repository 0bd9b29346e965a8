namespace ImageClassifier.Tests.Config;

/// <summary>workload.yaml: a TAP web workload built and scaled as the other manifests say.</summary>
public class WorkloadTests
{
    private readonly YamlDotNet.RepresentationModel.YamlMappingNode _workload = Yaml.Load(Manifests.Workload);

    [Fact]
    public void Is_a_TAP_web_workload()
    {
        Assert.Equal("carto.run/v1alpha1", _workload.Text("apiVersion"));
        Assert.Equal("Workload", _workload.Text("kind"));
        Assert.Equal("web", _workload.Scalars("metadata.labels")["apps.tanzu.vmware.com/workload-type"]);
    }

    [Fact]
    public void Its_build_env_is_project_tomls() =>
        Assert.Equal(BuildEnv.FromProjectToml().OrderBy(p => p.Key, StringComparer.Ordinal), _workload.Env("spec.build.env").OrderBy(p => p.Key, StringComparer.Ordinal));

    [Fact]
    public void Project_toml_builds_the_function_project() =>
        Assert.True(File.Exists(Path.Combine(RepositoryRoot.Path, BuildEnv.FromProjectToml()["BP_DOTNET_PROJECT_PATH"]!, "ImageClassifier.csproj")));

    [Fact]
    public void Its_autoscaling_annotations_and_resources_are_the_services()
    {
        var service = Yaml.Load(Manifests.Service);
        var annotations = Assert.Single(_workload.Items("spec.params"), param => param.Text("name") == "annotations");

        Assert.Equal(
            service.Scalars("spec.template.metadata.annotations").OrderBy(p => p.Key, StringComparer.Ordinal),
            annotations.Scalars("value").OrderBy(p => p.Key, StringComparer.Ordinal));
        var container = Manifests.ServiceContainer(service);
        foreach (var path in new[] { "requests.cpu", "requests.memory", "limits.memory" })
        {
            Assert.Equal(container.Text("resources." + path), _workload.Text("spec.resources." + path));
        }
    }
}
