using System.Net.Http.Headers;
using System.Net.Http.Json;
using ImageClassifier.Observability;
using ImageClassifier.Tests.Harness;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

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
        using var exif = await client.PostAsync(function.BaseAddress, ExifJpeg("coffee.png"));
        using var url = await client.PostAsync(function.BaseAddress, JsonContent.Create(new { url = images.Url("/chelsea.png").ToString() }));

        Assert.Equal("espresso", Replies.Labels(Replies.DataOf(await Replies.ReadEventAsync(bytes)))[0]);
        Assert.Equal("espresso", Replies.Labels(Replies.DataOf(await Replies.ReadEventAsync(exif)))[0]);
        Assert.Contains(Replies.Labels(Replies.DataOf(await Replies.ReadEventAsync(url)))[0], new[] { "Egyptian cat", "tiger cat", "tabby" });
        Assert.Equal(1, images.Hits("/chelsea.png"));

        // What ships is the native publish: an executable, no assemblies for a runtime to load.
        Assert.True(File.Exists(Path.Combine(function.Folder, "ImageClassifier")), "The publish has no executable.");
        Assert.False(File.Exists(Path.Combine(function.Folder, "ImageClassifier.dll")), "The publish is not the native one.");

        // The start-up line names the build and the runtime settings bench/README.md chose by
        // measurement (the thread pool's spin limit), as the running process sees them, and every stage.
        var ready = function.Output.Split('\n').Single(line => line.Contains("ms after launch", StringComparison.Ordinal));
        Assert.Contains("(native AOT, server GC True, spin limit 0)", ready, StringComparison.Ordinal);
        Assert.All(Enum.GetNames<StartupStage>(), stage => Assert.Contains(stage + " ", ready, StringComparison.Ordinal));
    }

    /// <summary>
    /// A JPEG with an EXIF profile, as phones write them: reading EXIF needs a type that only the
    /// native publish can lack (function/ImageSharp.rd.xml), so this is where that is checked.
    /// </summary>
    private static ByteArrayContent ExifJpeg(string imageName)
    {
        using var image = Image.Load<Rgb24>(TestImages.Read(imageName));
        image.Metadata.ExifProfile = new ExifProfile();
        image.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)1);
        using var jpeg = new MemoryStream();
        image.SaveAsJpeg(jpeg);
        var content = new ByteArrayContent(jpeg.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        return content;
    }
}
