using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.CompilerServices;

namespace ImageClassifier.Observability;

/// <summary>The stages of a start-up, in the order they begin.</summary>
public enum StartupStage
{
    /// <summary>Launch to <c>Main</c>: the runtime (or the native executable) and its first libraries.</summary>
    Runtime,

    /// <summary><c>WebApplication.CreateSlimBuilder</c>: configuration, logging, the web host's defaults.</summary>
    HostBuilder,

    /// <summary>The function's services registered, OpenTelemetry's registration included.</summary>
    Registration,

    /// <summary><c>builder.Build()</c>: the host, its configuration and logging.</summary>
    HostBuild,

    /// <summary>The endpoints mapped.</summary>
    Endpoints,

    /// <summary>OpenTelemetry's tracer and meter providers built.</summary>
    OpenTelemetry,

    /// <summary>The hosted services resolved, and the singletons they depend on constructed.</summary>
    DependencyInjection,

    /// <summary>The host started: options validated, Kestrel bound, hosted services started. /healthz answers from here.</summary>
    KestrelBind,

    /// <summary>The model resolved, checked and opened: from the host's start, beside Kestrel's bind.</summary>
    ModelLoad,

    /// <summary>One request through the whole pipeline, after which the function is ready.</summary>
    WarmUp,
}

/// <summary>
/// Where start-up time goes, from the process's launch to readiness: each stage's start and end
/// since launch, logged in one line when the function is ready, so that operators see the split
/// on their own clusters, with the runtime settings in force. Launch is the kernel's start time
/// of the process, in clock ticks of 10 ms, so the <see cref="StartupStage.Runtime"/> stage is
/// approximate (it read about 40 ms long against an external clock).
/// </summary>
public sealed class StartupTimeline
{
    private readonly Lock gate = new();
    private readonly long mainTimestamp;
    private readonly TimeSpan launchToMain;
    private readonly Dictionary<StartupStage, (TimeSpan Start, TimeSpan End)> stages = [];
    private TimeSpan lastStepEnd;

    private StartupTimeline(long mainTimestamp, TimeSpan launchToMain)
    {
        this.mainTimestamp = mainTimestamp;
        this.launchToMain = launchToMain;
        lastStepEnd = launchToMain;
        stages[StartupStage.Runtime] = (TimeSpan.Zero, launchToMain);
    }

    /// <summary>Starts the timeline: first thing in <c>Main</c>.</summary>
    public static StartupTimeline StartAtMain() => new(Stopwatch.GetTimestamp(), ProcessAge());

    /// <summary>Now, as time since launch.</summary>
    public TimeSpan Now => launchToMain + Stopwatch.GetElapsedTime(mainTimestamp);

    /// <summary>A stage of the main path ended now; it began where the previous one ended.</summary>
    public void Step(StartupStage stage)
    {
        lock (gate)
        {
            var now = Now;
            stages[stage] = (lastStepEnd, now);
            lastStepEnd = now;
        }
    }

    /// <summary>A stage that ran beside the main path, from <paramref name="start"/> (a <see cref="Now"/>) until now.</summary>
    public void Record(StartupStage stage, TimeSpan start)
    {
        lock (gate)
        {
            stages[stage] = (start, Now);
        }
    }

    /// <summary>Writes the timeline once, when the function is ready.</summary>
    public void Report(ILogger logger)
    {
        string summary;
        TimeSpan ready;
        lock (gate)
        {
            ready = stages.Values.Max(span => span.End);
            summary = string.Join(", ", stages.OrderBy(stage => stage.Value.Start).ThenBy(stage => stage.Key).Select(Describe));
        }

        logger.LogInformation(
            "Ready {ReadyMs} ms after launch ({Build}, server GC {ServerGc}, spin limit {SpinLimit}): {Stages}",
            Math.Round(ready.TotalMilliseconds, 1),
            RuntimeFeature.IsDynamicCodeSupported ? "JIT" : "native AOT",
            GCSettings.IsServerGC,
            AppContext.GetData("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit") ?? "default",
            summary);
    }

    private static string Describe(KeyValuePair<StartupStage, (TimeSpan Start, TimeSpan End)> stage) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{stage.Key} {(stage.Value.End - stage.Value.Start).TotalMilliseconds:F1} ms ({stage.Value.Start.TotalMilliseconds:F0}-{stage.Value.End.TotalMilliseconds:F0})");

    /// <summary>The process's age: /proc/uptime less the process's start time in /proc/self/stat (Linux; zero elsewhere).</summary>
    private static TimeSpan ProcessAge()
    {
        try
        {
            var uptime = double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], CultureInfo.InvariantCulture);
            var stat = File.ReadAllText("/proc/self/stat");
            // The fields after the command name (which may hold spaces) start at field 3; starttime is field 22.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var startTicks = long.Parse(fields[22 - 3], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(uptime - (startTicks / 100.0));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return TimeSpan.Zero;
        }
    }
}
