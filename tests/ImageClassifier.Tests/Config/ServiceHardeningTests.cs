using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s.Models;

namespace ImageClassifier.Tests.Config;

/// <summary>
/// config/service.yaml runs the function hardened: a read-only root filesystem with a bounded
/// writable volume for every folder the function writes, and no service account token.
/// </summary>
public partial class ServiceHardeningTests
{
    private readonly JsonNode _pod = Assert.Single(YamlJson.Load(Manifests.Service))["spec"]!["template"]!["spec"]!;

    private JsonNode Container => Assert.Single(_pod["containers"]!.AsArray())!;

    [Fact]
    public void The_root_filesystem_is_read_only_and_no_service_account_token_is_mounted()
    {
        Assert.True(Container["securityContext"]!["readOnlyRootFilesystem"]!.GetValue<bool>());
        Assert.False(_pod["automountServiceAccountToken"]!.GetValue<bool>());
    }

    [Fact]
    public void Tmp_is_an_emptyDir_whose_size_limit_fits_in_the_ephemeral_storage_limit()
    {
        var tmp = Assert.Single(WritableMounts(), mount => mount.Path == "/tmp");
        var sizeLimit = Quantity(tmp.Volume["emptyDir"]!["sizeLimit"]);
        var request = Quantity(Container["resources"]!["requests"]!["ephemeral-storage"]);
        var limit = Quantity(Container["resources"]!["limits"]!["ephemeral-storage"]);

        // The emptyDir counts toward the pod's ephemeral storage, with the container's logs.
        Assert.InRange(sizeLimit, 1, limit);
        Assert.InRange(request, 1, limit);
    }

    [Fact]
    public void Every_folder_the_function_writes_is_on_a_writable_volume()
    {
        var env = Manifests.EnvOf(Manifests.Service);
        var folderSettings = Settings.BoundNames.Where(name => name.EndsWith("_DIR", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();
        var folders = folderSettings
            .Where(name => !string.IsNullOrEmpty(env.GetValueOrDefault(name)))
            .Select(name => (Setting: name, Path: env[name]!))
            // .NET's temp folder (the diagnostics socket, ONNX Runtime's session file) and the
            // Procfile's cache folder (ONNX Runtime's telemetry store), unless the manifest sets them.
            .Append((Setting: "TMPDIR", Path: env.GetValueOrDefault("TMPDIR") ?? "/tmp"))
            .Append((Setting: "XDG_CACHE_HOME", Path: env.GetValueOrDefault("XDG_CACHE_HOME") ?? ProcfileCacheHome()))
            .ToArray();
        var mounts = WritableMounts().Select(mount => mount.Path).ToArray();

        Assert.NotEmpty(folderSettings);
        Assert.All(folders, folder => Assert.True(
            mounts.Any(mount => folder.Path == mount || folder.Path.StartsWith(mount.TrimEnd('/') + "/", StringComparison.Ordinal)),
            $"{folder.Setting}={folder.Path} is on the read-only root filesystem; the writable mounts are {string.Join(", ", mounts)}."));
    }

    /// <summary>The container's mounts that it may write, each with its volume: emptyDir volumes not mounted read-only.</summary>
    private IEnumerable<(string Path, JsonNode Volume)> WritableMounts() =>
        from mount in Container["volumeMounts"]?.AsArray() ?? []
        where mount!["readOnly"]?.GetValue<bool>() != true
        join volume in _pod["volumes"]?.AsArray() ?? [] on (string?)mount!["name"] equals (string?)volume!["name"]
        where volume!["emptyDir"] is not null
        select ((string)mount["mountPath"]!, volume);

    /// <summary>The folder the Procfile's web command gives XDG_CACHE_HOME when it is not set.</summary>
    private static string ProcfileCacheHome()
    {
        var match = CacheHomeDefault().Match(Harness.PublishedFunction.WebCommand());
        Assert.True(match.Success, "The Procfile's web command no longer gives XDG_CACHE_HOME a default; ONNX Runtime would write under HOME.");
        return match.Groups[1].Value;
    }

    private static decimal Quantity(JsonNode? quantity) => new ResourceQuantity(quantity!.GetValue<string>()).ToDecimal();

    [GeneratedRegex(@"XDG_CACHE_HOME=""?\$\{XDG_CACHE_HOME:-([^}]+)\}")]
    private static partial Regex CacheHomeDefault();
}
