using ImageClassifier.Tests.Harness;

namespace ImageClassifier.Tests.Config;

/// <summary>
/// The published function runs as config/service.yaml's pod runs it: from a folder it cannot
/// write (the read-only root filesystem), writing only under its temp folder (the /tmp volume).
/// Every published-process test runs this way; this one shows that it does, and that it works.
/// </summary>
public class ReadOnlyRootTests
{
    [Fact]
    public async Task The_published_function_cannot_write_its_folder_and_keeps_its_optimised_model_under_its_temp_folder()
    {
        await using var function = await PublishedFunction.StartAsync(new Dictionary<string, string>());
        using var client = new HttpClient();
        await function.WaitUntilReadyAsync(client);

        using var response = await client.PostAsync(function.BaseAddress, Replies.ImageContent("coffee.png"));
        var data = Replies.DataOf(await Replies.ReadEventAsync(response));

        // Not root, which would write whatever the permissions say, in a folder that no one may write.
        Assert.NotEqual(0, ProcessUser.EffectiveUid(function.ProcessId));
        Assert.Equal(function.Folder, Directory.ResolveLinkTarget($"/proc/{function.ProcessId}/cwd", returnFinalTarget: false)?.FullName);
        Assert.Empty(new DirectoryInfo(function.Folder).EnumerateFileSystemInfos("*", SearchOption.AllDirectories)
            .Prepend(new DirectoryInfo(function.Folder))
            .Where(entry => (entry.UnixFileMode & (UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
            .Select(entry => entry.FullName));

        Assert.Equal("espresso", Replies.Labels(data)[0]);
        var optimised = Assert.Single(Directory.GetFiles(Path.Combine(function.TempFolder, "image-classifier-onnx")));
        Assert.StartsWith(data.GetProperty("model").GetProperty("sha256").GetString()!, Path.GetFileName(optimised), StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(function.Home, "*", SearchOption.AllDirectories));
    }
}
