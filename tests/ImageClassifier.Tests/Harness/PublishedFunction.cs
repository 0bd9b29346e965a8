using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ImageClassifier.Tests.Harness;

/// <summary>
/// The function as a buildpack image runs it: the Procfile's <c>web</c> command, started by a
/// shell in the output of <c>dotnet publish</c>, with <c>PORT</c> set. The function is published
/// once per test run, behind one lock, and every published process runs from that one output.
/// </summary>
public sealed class PublishedFunction : IAsyncDisposable
{
    private static readonly Lazy<Task<string>> Published = new(PublishAsync);

    private readonly Process _process;
    private readonly string _folder;

    private readonly ConcurrentQueue<string> _output = new();

    private PublishedFunction(Process process, string folder, Uri baseAddress)
    {
        _process = process;
        _folder = folder;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>The publish output the process runs from.</summary>
    public string Folder => _folder;

    /// <summary>The process the shell started; the Procfile's <c>exec</c> makes it the dotnet process itself.</summary>
    public int ProcessId => _process.Id;

    /// <summary>What the process wrote to stdout and stderr so far, for failure messages.</summary>
    public string Output => string.Join('\n', _output);

    public static async Task<PublishedFunction> StartAsync(IReadOnlyDictionary<string, string> environment)
    {
        var folder = await Published.Value;
        var port = FreeLoopbackPort();
        var start = ChildProcess.StartInfo("bash", "-c", WebCommand());
        start.WorkingDirectory = folder;
        start.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The web process did not start.");
        var function = new PublishedFunction(process, folder, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, line) => function.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => function.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return function;
    }

    /// <summary>The Procfile's <c>web:</c> command.</summary>
    public static string WebCommand() =>
        File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "Procfile"))
            .Select(line => line.Split(':', 2))
            .Single(parts => parts.Length == 2 && parts[0].Trim() == "web")[1].Trim();

    public Task WaitUntilReadyAsync(HttpClient client) =>
        Readiness.WaitAsync(client, new Uri(BaseAddress, "/readyz"),
            () => _process.HasExited ? $"The web process exited with {_process.ExitCode}:\n{Output}" : null);

    /// <summary>Sends SIGTERM, as the kubelet does when a pod is deleted (Process.Kill would be SIGKILL).</summary>
    public async Task TerminateAsync()
    {
        var (exitCode, output) = await ChildProcess.RunAsync("kill", "-TERM", ProcessId.ToString(CultureInfo.InvariantCulture));
        Assert.True(exitCode == 0, $"kill -TERM failed: {output}");
    }

    /// <summary>Waits for the process to end, at most <paramref name="limit"/>, and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    /// <summary>
    /// Publishes <c>function/</c> as the buildpack does. Two publishes at once would share
    /// <c>obj/</c> and fight over its files, so there is one, and it is removed when the test run ends.
    /// </summary>
    private static async Task<string> PublishAsync()
    {
        var folder = Directory.CreateTempSubdirectory("image-classifier-publish-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(folder, recursive: true);
        var (exitCode, output) = await ChildProcess.RunAsync("dotnet", "publish", Path.Combine(RepositoryRoot.Path, "function"), "-c", "Release", "-o", folder);
        Assert.True(exitCode == 0, $"dotnet publish failed:\n{output}");
        return folder;
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
