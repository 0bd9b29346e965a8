using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ImageClassifier.Tests.Harness;

/// <summary>
/// The function as a buildpack image runs it in the hardened pod of config/service.yaml: the
/// Procfile's <c>web</c> command, started by a shell in the output of <c>dotnet publish</c>, with
/// <c>PORT</c> set. The function is published once per test run, behind one lock, and every
/// published process runs from that one output, which no process can write (a read-only root
/// filesystem): it has no write permission anywhere, and a test host running as root (CI) starts
/// the process as an unprivileged user, since root ignores permissions. Each process gets a fresh
/// writable folder for TMPDIR and its caches (the pod's /tmp volume) and another for HOME.
/// </summary>
public sealed class PublishedFunction : IAsyncDisposable
{
    private const UnixFileMode ReadByAll = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode ExecuteByAll = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
    private const UnixFileMode ReadAndExecute = ReadByAll | ExecuteByAll;

    /// <summary>As /tmp: anyone may create files, and only their owner remove them.</summary>
    private const UnixFileMode WritableByAll = ReadAndExecute | UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite | UnixFileMode.StickyBit;

    private static readonly Lazy<Task<string>> Published = new(PublishAsync);

    private readonly Process _process;
    private readonly string _folder;
    private readonly DirectoryInfo _scratch;

    private readonly ConcurrentQueue<string> _output = new();

    private PublishedFunction(Process process, string folder, DirectoryInfo scratch, Uri baseAddress)
    {
        _process = process;
        _folder = folder;
        _scratch = scratch;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>The publish output the process runs from.</summary>
    public string Folder => _folder;

    /// <summary>The process's TMPDIR, under which its ORT and model caches are set too: what the pod's /tmp volume holds.</summary>
    public string TempFolder => Path.Combine(_scratch.FullName, "tmp");

    /// <summary>The process's HOME, writable, which it should leave empty.</summary>
    public string Home => Path.Combine(_scratch.FullName, "home");

    /// <summary>The process the shell started; the Procfile's <c>exec</c> makes it the function's executable itself.</summary>
    public int ProcessId => _process.Id;

    /// <summary>The highest resident set the kernel saw for the process (VmHWM): managed and native memory alike.</summary>
    public long PeakResidentBytes
    {
        get
        {
            var line = File.ReadLines($"/proc/{_process.Id}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
    }

    /// <summary>What the process wrote to stdout and stderr so far, for failure messages.</summary>
    public string Output => string.Join('\n', _output);

    public static async Task<PublishedFunction> StartAsync(IReadOnlyDictionary<string, string> environment)
    {
        var folder = await Published.Value;
        var port = FreeLoopbackPort();
        var unprivileged = ProcessUser.TestHostIsRoot;
        var scratch = Directory.CreateTempSubdirectory("image-classifier-run-");
        var temp = scratch.CreateSubdirectory("tmp");
        var home = scratch.CreateSubdirectory("home");
        if (unprivileged)
        {
            // The unprivileged user must reach its folders through a parent created private to root.
            SetMode(scratch, ReadAndExecute);
            SetMode(temp, WritableByAll);
            SetMode(home, WritableByAll);
        }

        // setpriv (util-linux) drops to nobody before bash execs the web command, so the process is still the function's executable itself.
        var start = unprivileged
            ? ChildProcess.StartInfo("setpriv", $"--reuid={ProcessUser.Unprivileged}", $"--regid={ProcessUser.Unprivileged}", "--clear-groups", "bash", "-c", WebCommand())
            : ChildProcess.StartInfo("bash", "-c", WebCommand());
        start.WorkingDirectory = folder;
        start.Environment["PORT"] = port.ToString(CultureInfo.InvariantCulture);
        start.Environment["TMPDIR"] = temp.FullName;
        start.Environment["HOME"] = home.FullName;
        start.Environment["XDG_CACHE_HOME"] = Path.Combine(temp.FullName, ".cache");
        start.Environment["ORT_OPTIMIZED_MODEL_DIR"] = Path.Combine(temp.FullName, "image-classifier-onnx");
        start.Environment["MODEL_CACHE_DIR"] = Path.Combine(temp.FullName, "image-classifier", "models");
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The web process did not start.");
        var function = new PublishedFunction(process, folder, scratch, new Uri($"http://127.0.0.1:{port}/"));
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
        _scratch.Delete(recursive: true);
    }

    /// <summary>
    /// Publishes <c>function/</c> as docs/deploying.md does (natively, on Linux). Two publishes at once would share
    /// <c>obj/</c> and fight over its files, so there is one. It is then made read-only for
    /// everyone, and writable again to be removed when the test run ends.
    /// </summary>
    private static async Task<string> PublishAsync()
    {
        var folder = Directory.CreateTempSubdirectory("image-classifier-publish-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            SetModes(folder, directory => directory | UnixFileMode.UserWrite, file => file);
            Directory.Delete(folder, recursive: true);
        };
        var (exitCode, output) = await ChildProcess.RunAsync("dotnet", "publish", Path.Combine(RepositoryRoot.Path, "function"), "-c", "Release", "-o", folder);
        Assert.True(exitCode == 0, $"dotnet publish failed:\n{output}");

        // As chmod -R a+rX,a-w: anyone may read and run it, no one may write it.
        SetModes(
            folder,
            _ => ReadAndExecute,
            file => (file & ExecuteByAll) != 0 ? ReadAndExecute : ReadByAll);
        return folder;
    }

    private static void SetModes(string folder, Func<UnixFileMode, UnixFileMode> directoryMode, Func<UnixFileMode, UnixFileMode> fileMode)
    {
        var root = new DirectoryInfo(folder);
        foreach (var entry in root.EnumerateFileSystemInfos("*", SearchOption.AllDirectories).Prepend(root))
        {
            SetMode(entry, entry is DirectoryInfo ? directoryMode(entry.UnixFileMode) : fileMode(entry.UnixFileMode));
        }
    }

    private static void SetMode(FileSystemInfo entry, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The published function runs as the buildpack image runs it, on Linux.");
        }

        entry.UnixFileMode = mode;
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
