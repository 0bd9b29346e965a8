using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using ImageClassifier.Tests.Harness;
using YamlDotNet.RepresentationModel;

namespace ImageClassifier.Tests.Config;

/// <summary>
/// config/tekton/pipeline.yaml: the Pipeline TAP's testing supply chain selects for workload.yaml
/// and runs with the source it found; it runs the README's test command in the .NET SDK image.
/// </summary>
public partial class TektonPipelineTests
{
    /// <summary>What the supply chain's testing-pipeline template always passes, beside the Workload's testing_pipeline_params.</summary>
    private static readonly string[] SupplyChainParams = ["source-url", "source-revision"];

    private readonly YamlMappingNode _pipeline = Yaml.Load(Manifests.TestPipeline);
    private readonly YamlMappingNode _workload = Yaml.Load(Manifests.Workload);

    private YamlNode Step => Assert.Single(Assert.Single(_pipeline.Items("spec.tasks")).Items("taskSpec.steps"));

    [Fact]
    public void Carries_every_label_the_Workload_selects_its_test_pipeline_by()
    {
        var matching = WorkloadParam("testing_pipeline_matching_labels").Scalars("value");
        var labels = _pipeline.Scalars("metadata.labels");

        Assert.Equal("true", _workload.Scalars("metadata.labels")["apps.tanzu.vmware.com/has-tests"]);
        Assert.Equal("test", matching["apps.tanzu.vmware.com/pipeline"]);
        Assert.All(matching, label => Assert.Equal(label.Value, labels.GetValueOrDefault(label.Key)));
    }

    [Fact]
    public void Takes_the_params_the_supply_chain_passes_and_needs_no_other()
    {
        var passed = SupplyChainParams.Concat(OptionalWorkloadParam("testing_pipeline_params")?.Children.Keys.Select(Yaml.Text) ?? []);
        var declared = _pipeline.Items("spec.params").Cast<YamlMappingNode>().ToList();

        Assert.Subset(declared.Select(param => param.Text("name")).ToHashSet(), SupplyChainParams.ToHashSet());
        Assert.All(
            declared.Where(param => !param.Children.ContainsKey(new YamlScalarNode("default"))),
            param => Assert.Contains(param.Text("name"), passed));
    }

    [Fact]
    public void Refers_only_to_params_it_declares()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot.Path, Manifests.TestPipeline));
        var declared = _pipeline.Items("spec.params").Select(param => param.Text("name"));

        Assert.Subset(declared.ToHashSet(), ParamReference().Matches(text).Select(match => match.Groups[1].Value).ToHashSet());
    }

    [Fact]
    public void Runs_the_READMEs_test_command_in_the_NET_SDK_image_of_global_json()
    {
        var sdk = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "global.json"))).RootElement.GetProperty("sdk").GetProperty("version").GetString()!;
        var readme = File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "README.md"));
        var testCommand = readme[Array.IndexOf(readme, "# Run every test") + 1];

        Assert.Equal($"mcr.microsoft.com/dotnet/sdk:{Version.Parse(sdk).ToString(2)}", Step.Text("image"));
        Assert.Contains("dotnet test", testCommand, StringComparison.Ordinal);
        Assert.Equal(testCommand, Step.Text("script").TrimEnd().Split('\n')[^1]);
    }

    [Fact]
    public async Task Fetches_byte_exact_copies_of_the_models_the_tests_read()
    {
        var fetched = ModelsBlock().Match(Step.Text("script")).Groups[1].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ')).ToDictionary(fields => fields[0], fields => (Sha256: fields[1], Url: fields[2]), StringComparer.Ordinal);
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "config", "model.json")));

        Assert.Equal(
            new[] { SharedModels.MobileNet, SharedModels.ShuffleNet, SharedModels.Labels }.Select(Path.GetFileName).Order(StringComparer.Ordinal),
            fetched.Keys.Order(StringComparer.Ordinal));
        foreach (var (file, (sha256, _)) in fetched)
        {
            await using var stream = File.OpenRead(Path.Combine(SharedModels.Directory, file));
            Assert.Equal(Convert.ToHexStringLower(await SHA256.HashDataAsync(stream)), sha256);
        }

        foreach (var entry in new[] { "model", "labels" }.Select(name => manifest.RootElement.GetProperty(name)))
        {
            var (sha256, url) = fetched[entry.GetProperty("file").GetString()!];
            Assert.Equal(entry.GetProperty("sha256").GetString(), sha256);
            Assert.Equal(entry.GetProperty("url").GetString(), url);
        }
    }

    [Fact]
    public async Task Its_script_is_valid_bash()
    {
        var (exitCode, output) = await ChildProcess.RunAsync("bash", "-n", "-c", Step.Text("script"));

        Assert.True(exitCode == 0, output);
    }

    private YamlNode WorkloadParam(string name) => Assert.Single(_workload.Items("spec.params"), param => param.Text("name") == name);

    private YamlMappingNode? OptionalWorkloadParam(string name) =>
        _workload.Items("spec.params").SingleOrDefault(param => param.Text("name") == name)?.At("value") as YamlMappingNode;

    [GeneratedRegex(@"\$\(params\.([a-z0-9-]+)\)")]
    private static partial Regex ParamReference();

    [GeneratedRegex(@"<<'MODELS'\n(.*?)\nMODELS\n", RegexOptions.Singleline)]
    private static partial Regex ModelsBlock();
}
