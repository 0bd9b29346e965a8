using System.Text.Json.Nodes;

namespace ImageClassifier.Tests.Config;

/// <summary>
/// Every manifest against the schema of the platform that receives it, checked as the API server
/// checks a create with strict field validation (see <see cref="StructuralSchema"/>), and
/// config/func.yaml against the func CLI's schema.
/// </summary>
public class PlatformSchemaTests(PlatformSchemas schemas) : IClassFixture<PlatformSchemas>
{
    /// <summary>Each document of every YAML file under config/ and of workload.yaml, func.yaml aside (it is not a Kubernetes object).</summary>
    public static TheoryData<string, int> KubernetesDocuments()
    {
        var config = Path.Combine(RepositoryRoot.Path, "config");
        var files = new[] { "*.yaml", "*.yml" }
            .SelectMany(pattern => Directory.EnumerateFiles(config, pattern, SearchOption.AllDirectories))
            .Select(path => Path.GetRelativePath(RepositoryRoot.Path, path).Replace('\\', '/'))
            .Where(file => file != Manifests.Func)
            .Append(Manifests.Workload)
            .Order(StringComparer.Ordinal);
        var data = new TheoryData<string, int>();
        foreach (var file in files)
        {
            foreach (var index in Enumerable.Range(0, YamlJson.Load(file).Count))
            {
                data.Add(file, index);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(KubernetesDocuments))]
    public void Each_document_is_accepted_by_its_platforms_schema(string file, int index) =>
        Assert.Empty(schemas.Problems(YamlJson.Load(file)[index]));

    [Fact]
    public void The_documents_checked_are_the_deployment_manifests()
    {
        var kinds = KubernetesDocuments().Select(row => Kind(YamlJson.Load((string)row[0])[(int)row[1]])).Order(StringComparer.Ordinal);

        Assert.Equal(
            ["carto.run/v1alpha1 Workload", "eventing.knative.dev/v1 Trigger", "networking.k8s.io/v1 NetworkPolicy", "serving.knative.dev/v1 Service", "serving.knative.dev/v1 Service", "tekton.dev/v1 Pipeline"],
            kinds);
    }

    [Fact]
    public void Func_yaml_is_valid_for_the_func_CLI() =>
        Assert.Empty(schemas.FuncYamlProblems(Assert.Single(YamlJson.Load(Manifests.Func))));

    [Fact]
    public void A_misspelt_field_is_refused_at_its_path()
    {
        var service = Assert.Single(YamlJson.Load(Manifests.Service));
        var revision = service["spec"]!["template"]!["spec"]!.AsObject();
        var concurrency = revision["containerConcurrency"]!;
        revision.Remove("containerConcurrency");
        revision["containerConcurency"] = concurrency;

        Assert.Equal(["#/spec.template.spec.containerConcurency: NoAdditionalPropertiesAllowed"], schemas.Problems(service));
    }

    [Fact]
    public void A_kind_without_a_schema_is_refused_by_name()
    {
        var budget = JsonNode.Parse("""{"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "image-classifier"}}""")!;

        Assert.StartsWith("policy/v1 PodDisruptionBudget: no schema", Assert.Single(schemas.Problems(budget)), StringComparison.Ordinal);
    }

    /// <summary>
    /// One change to a real manifest, and what the schemas make of it: the empty answers are what
    /// the API server lets through, for the platform's webhook (Knative's, Tekton's) to judge.
    /// </summary>
    [Theory]
    [InlineData(Manifests.Service, "/spec/template/spec/containerConcurrency", "\"8\"", "#/spec.template.spec.containerConcurrency: IntegerExpected")]
    [InlineData(Manifests.Service, "/spec/template/spec/containers", null, "#/spec.template.spec.containers: PropertyRequired")]
    [InlineData(Manifests.Service, "/spec/template/spec/containers/0/resources/limits/memory", "true", "#/spec.template.spec.containers[0].resources.limits.memory: NotAnyOf")]
    [InlineData(Manifests.Service, "/spec/template/spec/containers/0/resources/limits/memory", "536870912", "")]
    [InlineData(Manifests.Service, "/spec/template/metadata/anotations", "{}", "")]
    [InlineData(Manifests.Service, "/metadata/anotations", "{}", "#/metadata.anotations: NoAdditionalPropertiesAllowed")]
    [InlineData(Manifests.Workload, "/metadata/labels/apps.tanzu.vmware.com~1has-tests", "true", "#/metadata.labels['apps.tanzu.vmware.com/has-tests']: StringExpected")]
    [InlineData(Manifests.Workload, "/spec/params/0/value/anything", "1", "")]
    [InlineData(Manifests.Workload, "/spec/source/git/ref/brnch", "\"main\"", "#/spec.source.git.ref.brnch: NoAdditionalPropertiesAllowed")]
    [InlineData(Manifests.Trigger, "/spec/delivery/timeout", "\"PT10S\"", "")]
    [InlineData(Manifests.Trigger, "/spec/subscriber/ref/nme", "\"x\"", "#/spec.subscriber.ref.nme: NoAdditionalPropertiesAllowed")]
    [InlineData(Manifests.TestPipeline, "/spec/tasks/0/taskSpec/steps/0/imag", "\"x\"", "")]
    [InlineData(Manifests.TestPipeline, "/spec/params/0/name", null, "#/spec.params[0].name: PropertyRequired")]
    [InlineData(Manifests.NetworkPolicy, "/spec/egress/1/to/0/ipBlock/excep", "[]", "#/spec.egress[1].to[0].ipBlock.excep: NoAdditionalPropertiesAllowed")]
    [InlineData(Manifests.NetworkPolicy, "/spec/egress/0/ports/0/port", "true", "#/spec.egress[0].ports[0].port: NotOneOf")]
    [InlineData(Manifests.NetworkPolicy, "/spec/egress/0/ports/0/port", "\"dns\"", "")]
    [InlineData(Manifests.NetworkPolicy, "/spec/podSelector/matchLabels/app", "\"x\"", "")]
    [InlineData(Manifests.NetworkPolicy, "/metadata/lables", "{}", "#/metadata.lables: NoAdditionalPropertiesAllowed")]
    [InlineData(Manifests.Func, "/build/builder", "\"docker\"", "#/build.builder: NotInEnumeration")]
    [InlineData(Manifests.Func, "/run/envs/0/valu", "\"\"", "#/run.envs[0].valu: NoAdditionalPropertiesAllowed")]
    public void A_change_is_refused_or_let_through_as_the_platform_would(string file, string path, string? json, string expected)
    {
        var document = YamlJson.Load(file)[0];
        Set(document, path, json is null ? null : JsonNode.Parse(json));

        var problems = file == Manifests.Func ? schemas.FuncYamlProblems(document) : schemas.Problems(document);

        Assert.Equal(expected.Length == 0 ? [] : [expected], problems);
    }

    private static string Kind(JsonNode document) => $"{document["apiVersion"]} {document["kind"]}";

    /// <summary>Sets, or with null removes, the field a JSON Pointer names.</summary>
    private static void Set(JsonNode document, string path, JsonNode? value)
    {
        var names = path.Split('/')[1..].Select(name => name.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
        var parent = names[..^1].Aggregate(document, (node, name) => node is JsonArray array ? array[int.Parse(name, System.Globalization.CultureInfo.InvariantCulture)]! : node[name]!);
        if (value is null)
        {
            Assert.True(parent.AsObject().Remove(names[^1]), $"Nothing at {path} to remove.");
        }
        else
        {
            parent[names[^1]] = value;
        }
    }
}
