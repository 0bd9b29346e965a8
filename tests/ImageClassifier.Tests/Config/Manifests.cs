using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace ImageClassifier.Tests.Config;

/// <summary>The deployment manifests and where each keeps the container's environment.</summary>
public static class Manifests
{
    public const string Service = "config/service.yaml";

    /// <summary>The Service with no route from outside the cluster, for a function fed only by a Broker.</summary>
    public const string ClusterLocalService = "config/service-cluster-local.yaml";
    public const string Workload = "workload.yaml";
    public const string Func = "config/func.yaml";
    public const string Trigger = "config/trigger.yaml";
    public const string TestPipeline = "config/tekton/pipeline.yaml";
    public const string NetworkPolicy = "config/network-policy.yaml";

    /// <summary>The manifests that run the function, for theories over all of them.</summary>
    public static TheoryData<string> Running => new() { Service, Workload, Func };

    public static YamlNode ServiceContainer(YamlNode service) => Assert.Single(service.Items("spec.template.spec.containers"));

    /// <summary>The memory limit config/service.yaml gives the container, in bytes.</summary>
    public static long MemoryLimitBytes()
    {
        var limit = ServiceContainer(Yaml.Load(Service)).Text("resources.limits.memory");
        Assert.EndsWith("Mi", limit, StringComparison.Ordinal);
        return long.Parse(limit[..^2], CultureInfo.InvariantCulture) * 1024 * 1024;
    }

    public static IReadOnlyDictionary<string, string?> EnvOf(string manifest) => EnvOf(manifest, Yaml.Load(manifest));

    public static IReadOnlyDictionary<string, string?> EnvOf(string manifest, YamlNode document) => manifest switch
    {
        Service or ClusterLocalService => ServiceContainer(document).Env("env"),
        Workload => document.Env("spec.env"),
        Func => document.Env("run.envs"),
        _ => throw new ArgumentOutOfRangeException(nameof(manifest), manifest, "Not a manifest that runs the function."),
    };
}
