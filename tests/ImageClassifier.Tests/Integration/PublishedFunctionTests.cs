using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageClassifier.Tests.Harness;

namespace ImageClassifier.Tests.Integration;

/// <summary>The publish output, started by the Procfile's web command as the buildpack starts it.</summary>
public class PublishedFunctionTests
{
    [Fact]
    public async Task The_published_web_process_classifies_over_http()
    {
        await using var images = await LoopbackServer.ServingAsync("chelsea.png");
        await using var function = await PublishedFunction.StartAsync(new Dictionary<string, string>
        {
            ["FETCH_ALLOW_PRIVATE_NETWORKS"] = "true",
            ["FETCH_ALLOWED_PORTS"] = "",
        });
        using var client = new HttpClient();
        await function.WaitUntilReadyAsync(client);

        using var bytes = await client.PostAsync(function.BaseAddress, Replies.ImageContent("coffee.png"));
        using var url = await client.PostAsync(function.BaseAddress, JsonContent.Create(new { url = images.Url("/chelsea.png").ToString() }));

        Assert.Equal("espresso", Replies.Labels(Replies.DataOf(await Replies.ReadEventAsync(bytes)))[0]);
        Assert.Contains(Replies.Labels(Replies.DataOf(await Replies.ReadEventAsync(url)))[0], new[] { "Egyptian cat", "tiger cat", "tabby" });
        Assert.Equal(1, images.Hits("/chelsea.png"));

        // The runtime settings bench/README.md chose by measurement reach what the buildpack runs.
        var settings = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(function.Folder, "ImageClassifier.runtimeconfig.json")))!
            ["runtimeOptions"]!["configProperties"]!;
        Assert.False(settings["System.Runtime.TieredPGO"]!.GetValue<bool>());
        Assert.Equal(0, settings["System.Threading.ThreadPool.UnfairSemaphoreSpinLimit"]!.GetValue<int>());
    }
}
