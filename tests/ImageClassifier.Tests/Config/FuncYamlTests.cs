using System.Globalization;

namespace ImageClassifier.Tests.Config;

/// <summary>config/func.yaml: the Knative func CLI builds with the Paketo .NET buildpacks and deploys as the Service does.</summary>
public class FuncYamlTests(RunningFunction function) : IClassFixture<RunningFunction>
{
    private readonly YamlDotNet.RepresentationModel.YamlMappingNode _func = Yaml.Load(Manifests.Func);

    [Fact]
    public void Builds_with_pack_and_the_Paketo_dotnet_buildpacks()
    {
        Assert.Equal("pack", _func.Text("build.builder"));
        Assert.StartsWith("paketobuildpacks/", _func.Text("build.builderImages.pack"), StringComparison.Ordinal);
        Assert.Contains("paketo-buildpacks/dotnet-core", _func.Items("build.buildpacks").Select(Yaml.Text));
        Assert.Equal(BuildEnv.FromProjectToml().OrderBy(p => p.Key, StringComparer.Ordinal), _func.Env("build.buildEnvs").OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Names_the_function_as_the_Service_does() =>
        Assert.Equal(Yaml.Load(Manifests.Service).Text("metadata.name"), _func.Text("name"));

    [Fact]
    public void Its_health_endpoints_are_the_Services_probes_and_mapped_by_the_app()
    {
        var container = Manifests.ServiceContainer(Yaml.Load(Manifests.Service));

        Assert.Equal(container.Text("readinessProbe.httpGet.path"), _func.Text("deploy.healthEndpoints.readiness"));
        Assert.Equal(container.Text("livenessProbe.httpGet.path"), _func.Text("deploy.healthEndpoints.liveness"));
        Assert.Contains(_func.Text("deploy.healthEndpoints.readiness"), function.HealthCheckPaths());
        Assert.Contains(_func.Text("deploy.healthEndpoints.liveness"), function.HealthCheckPaths());
    }

    [Fact]
    public void Scales_and_limits_as_the_Service_does()
    {
        var service = Yaml.Load(Manifests.Service);
        var annotations = service.Scalars("spec.template.metadata.annotations");
        var container = Manifests.ServiceContainer(service);

        Assert.Equal(Settings.AdmissionLimit, int.Parse(_func.Text("deploy.options.resources.limits.concurrency"), CultureInfo.InvariantCulture));
        Assert.Equal(annotations["autoscaling.knative.dev/min-scale"], _func.Text("deploy.options.scale.min"));
        Assert.Equal(annotations["autoscaling.knative.dev/max-scale"], _func.Text("deploy.options.scale.max"));
        Assert.Equal(annotations["autoscaling.knative.dev/metric"], _func.Text("deploy.options.scale.metric"));
        Assert.Equal(annotations["autoscaling.knative.dev/target"], _func.Text("deploy.options.scale.target"));
        Assert.Equal(annotations["autoscaling.knative.dev/target-utilization-percentage"], _func.Text("deploy.options.scale.utilization"));
        Assert.Equal(container.Text("resources.requests.memory"), _func.Text("deploy.options.resources.requests.memory"));
        Assert.Equal(container.Text("resources.limits.memory"), _func.Text("deploy.options.resources.limits.memory"));
    }

    [Fact]
    public void Everything_the_function_writes_is_on_a_tmp_emptyDir_as_large_as_the_Services()
    {
        var service = Assert.Single(YamlJson.Load(Manifests.Service))["spec"]!["template"]!["spec"]!;
        var serviceTmp = Assert.Single(service["volumes"]!.AsArray(), volume => (string?)volume!["name"] == "tmp")!;
        var volume = Assert.Single(_func.Items("run.volumes"));
        var folders = _func.Env("run.envs")
            .Where(setting => setting.Key.EndsWith("_DIR", StringComparison.Ordinal) && !string.IsNullOrEmpty(setting.Value))
            .ToArray();

        Assert.Equal("/tmp", volume.Text("path"));
        Assert.Equal((string?)serviceTmp["emptyDir"]!["sizeLimit"], volume.Text("emptyDir.sizeLimit"));
        Assert.NotEmpty(folders);
        Assert.All(folders, folder => Assert.StartsWith("/tmp/", folder.Value, StringComparison.Ordinal));
    }
}
