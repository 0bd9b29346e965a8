using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ImageClassifier.Observability;
using ImageClassifier.Tests.Harness;
using ImageClassifier.Tests.MLflow;
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

        // The start-up line names the build and the runtime settings bench/HISTORY.md chose by
        // measurement (the thread pool's spin limit), as the running process sees them, and every stage.
        var ready = function.Output.Split('\n').Single(line => line.Contains("ms after launch", StringComparison.Ordinal));
        Assert.Contains("(native AOT, server GC True, spin limit 0)", ready, StringComparison.Ordinal);
        Assert.All(Enum.GetNames<StartupStage>(), stage => Assert.Contains(stage + " ", ready, StringComparison.Ordinal));
    }

    /// <summary>
    /// The native publish reads a registered version's MLmodel (YamlDotNet's parser, compiled ahead
    /// of time) for its preprocessing and labels, with MODEL_URI and no other setting.
    /// </summary>
    [Fact]
    public async Task The_published_process_serves_a_registered_model_with_the_preprocessing_and_labels_of_its_MLmodel()
    {
        await using var mlflow = await MLflowStandIn.StartAsync();
        mlflow.RegisterModelVersion(CommunityModelServingTests.Cifar, "1", new Dictionary<string, byte[]>
        {
            ["model.onnx"] = await File.ReadAllBytesAsync(SharedModels.CommunityFile(CommunityModelServingTests.Cifar, "cifar10_model.onnx")),
            ["MLmodel"] = CommunityModelServingTests.CifarMLmodel(),
        }, "champion");
        await using var function = await PublishedFunction.StartAsync(new Dictionary<string, string>
        {
            ["MLFLOW_TRACKING_URI"] = mlflow.BaseAddress.AbsoluteUri,
            ["MODEL_URI"] = $"models:/{CommunityModelServingTests.Cifar}@champion",
        });
        using var client = new HttpClient();
        await function.WaitUntilReadyAsync(client);

        foreach (var (photo, expected) in CommunityModelServingTests.CifarSamples())
        {
            using var content = new ByteArrayContent(photo);
            content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            using var reply = await client.PostAsync(function.BaseAddress, content);
            Assert.Equal($"cifar {expected}", Replies.Labels(Replies.DataOf(await Replies.ReadEventAsync(reply)))[0]);
        }

        // The JSON console log escapes the apostrophe that follows.
        Assert.Contains("preprocessing from the MLmodel file", function.Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// Decoding and inference run on the CPU work threads, one a core, and not on the thread pool
    /// that serves the network (bench/HISTORY.md, "Cheap refusals"): while the process classifies,
    /// those threads take most of its CPU.
    /// </summary>
    [Fact]
    public async Task The_published_process_decodes_and_classifies_on_its_CPU_work_threads()
    {
        await using var function = await PublishedFunction.StartAsync(new Dictionary<string, string>());
        using var client = new HttpClient();
        await function.WaitUntilReadyAsync(client);
        var before = ThreadTicks(function.ProcessId);

        for (var request = 0; request < 40; request++)
        {
            using var reply = await client.PostAsync(function.BaseAddress, Replies.ImageContent("coffee.png"));
            Assert.Equal("espresso", Replies.Labels(Replies.DataOf(await Replies.ReadEventAsync(reply)))[0]);
        }

        var after = ThreadTicks(function.ProcessId);
        var workers = after.Where(thread => thread.Value.Name == "CPU work").Select(thread => thread.Key).ToList();
        long Spent(bool onWorkers) => after
            .Where(thread => workers.Contains(thread.Key) == onWorkers)
            .Sum(thread => thread.Value.Ticks - (before.TryGetValue(thread.Key, out var earlier) ? earlier.Ticks : 0));
        Assert.Equal(Environment.ProcessorCount, workers.Count);
        Assert.True(Spent(onWorkers: true) > Spent(onWorkers: false),
            $"The CPU work threads spent {Spent(onWorkers: true)} ticks on 40 classifications, the other threads {Spent(onWorkers: false)}.");
    }

    /// <summary>
    /// The Procfile asks glibc for transparent huge pages for the C heap, which a progressive
    /// photo's decoder walks whole; the kernel gives them unless its setting is <c>never</c>.
    /// </summary>
    [Fact]
    public async Task The_procfile_gives_the_C_heap_huge_pages_where_the_kernel_allows()
    {
        await using var function = await PublishedFunction.StartAsync(new Dictionary<string, string>());
        using var client = new HttpClient();
        await function.WaitUntilReadyAsync(client);

        var photo = await File.ReadAllBytesAsync(SharedModels.CommunityFile("keras-cifar10-cnn", "sample_car.jpg"));
        var environment = (await File.ReadAllTextAsync($"/proc/{function.ProcessId}/environ")).Split('\0');
        Assert.Contains("GLIBC_TUNABLES=glibc.malloc.hugetlb=1", environment);

        // The decoder's coefficients live only while it decodes: the process is watched meanwhile.
        using var decoded = new CancellationTokenSource();
        var watching = MostHugePagesAsync(function.ProcessId, decoded.Token);
        for (var request = 0; request < 3; request++)
        {
            using var content = new ByteArrayContent(photo);
            content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            using var reply = await client.PostAsync(function.BaseAddress, content);
            Assert.Equal(System.Net.HttpStatusCode.OK, reply.StatusCode);
        }

        await decoded.CancelAsync();
        var most = await watching;
        if (!(await File.ReadAllTextAsync("/sys/kernel/mm/transparent_hugepage/enabled")).Contains("[never]", StringComparison.Ordinal))
        {
            Assert.True(most > 0, "While it decoded three progressive photos, the process never held a huge page.");
        }
    }

    /// <summary>The most anonymous huge-page memory (kB) the process held at any of its /proc/PID/smaps_rollup reads until cancelled.</summary>
    private static async Task<long> MostHugePagesAsync(int processId, CancellationToken cancellationToken)
    {
        long most = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var rollup = await File.ReadAllLinesAsync($"/proc/{processId}/smaps_rollup", CancellationToken.None);
            var line = rollup.Single(line => line.StartsWith("AnonHugePages:", StringComparison.Ordinal));
            most = Math.Max(most, long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture));
            await Task.Delay(5, CancellationToken.None);
        }

        return most;
    }

    /// <summary>Each thread's name and CPU time (user + system, in clock ticks), from /proc.</summary>
    private static Dictionary<int, (string Name, long Ticks)> ThreadTicks(int processId)
    {
        var threads = new Dictionary<int, (string Name, long Ticks)>();
        foreach (var task in Directory.EnumerateDirectories($"/proc/{processId}/task"))
        {
            try
            {
                // The name in stat may hold spaces: the fields that follow start after its closing parenthesis.
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var name = File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n');
                threads[int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture)] =
                    (name, long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture));
            }
            catch (IOException)
            {
                // The thread ended between the listing and the read.
            }
        }

        return threads;
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
