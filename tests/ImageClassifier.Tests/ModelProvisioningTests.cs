using ImageClassifier.Tests.Harness;

namespace ImageClassifier.Tests;

/// <summary>
/// function/ModelProvisioning.targets, run on its own into a scratch folder: the pinned model
/// and labels are copied from MODEL_SOURCE_DIR and checked against config/model.json's SHA-256.
/// </summary>
public sealed class ModelProvisioningTests : IDisposable
{
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("model-provisioning-");

    [Fact]
    public async Task Byte_exact_copies_are_provisioned()
    {
        var (exitCode, output) = await ProvisionAsync(SharedModels.Directory);

        Assert.True(exitCode == 0, output);
        Assert.Equal(
            await File.ReadAllBytesAsync(SharedModels.Labels),
            await File.ReadAllBytesAsync(Path.Combine(_scratch.FullName, "obj", "model", "synset.txt")));
        Assert.True(File.Exists(Path.Combine(_scratch.FullName, "obj", "model", "mobilenetv2-12-int8.onnx")));
    }

    [Fact]
    public async Task A_file_whose_hash_differs_fails_the_build_and_is_not_kept()
    {
        var source = _scratch.CreateSubdirectory("source").FullName;
        File.Copy(SharedModels.MobileNet, Path.Combine(source, "mobilenetv2-12-int8.onnx"));
        await File.WriteAllTextAsync(Path.Combine(source, "synset.txt"), "n00000000 not the zoo's labels\n");

        var (exitCode, output) = await ProvisionAsync(source);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("SHA-256 mismatch for synset.txt", output, StringComparison.Ordinal);
        Assert.Contains("acf75ef0abe89694b19056e0796401068b459c457baa30335f240c7692857355", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_scratch.FullName, "obj", "model", "synset.txt")));
    }

    [Fact]
    public async Task A_source_folder_without_the_model_names_what_is_missing()
    {
        var (exitCode, output) = await ProvisionAsync(_scratch.CreateSubdirectory("empty").FullName);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("has no mobilenetv2-12-int8.onnx", output, StringComparison.Ordinal);
    }

    public void Dispose() => _scratch.Delete(recursive: true);

    private Task<(int ExitCode, string Output)> ProvisionAsync(string sourceDirectory) =>
        ChildProcess.RunAsync("dotnet", "msbuild", Path.Combine(RepositoryRoot.Path, "function", "ImageClassifier.csproj"),
            "-t:ProvisionModel", "-nologo", "-noAutoResponse",
            $"-p:BaseIntermediateOutputPath={_scratch.FullName}/obj/", $"-p:MODEL_SOURCE_DIR={sourceDirectory}");
}
