using ImageClassifier.Imaging;
using ImageClassifier.Inference;
using ImageClassifier.Memory;
using ImageClassifier.Tests.Harness;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ImageClassifier.Tests.Inference;

/// <summary>
/// The model's loader and refresher as AddInference registers them, in a host of their own, on a
/// clock the test moves and over a source the test scripts. The refresher is the only thing that
/// sets timers on that clock, so the test can move it straight to the refresher's next question
/// and wait until the refresher has asked and set its next wait, without waiting on real time.
/// </summary>
public sealed class RefresherHost : IAsyncDisposable
{
    private readonly IHost host;

    private RefresherHost(IHost host, ScriptedSource source, PollClock clock, CapturedLogs logs)
    {
        this.host = host;
        Source = source;
        Clock = clock;
        Logs = logs;
        Counters = new CounterRecorder(host.Services);
    }

    public ScriptedSource Source { get; }

    public PollClock Clock { get; }

    public CounterRecorder Counters { get; }

    public CapturedLogs Logs { get; }

    public OnnxClassifier Classifier => host.Services.GetRequiredService<OnnxClassifier>();

    public static async Task<RefresherHost> StartAsync(ScriptedSource source, int refreshSeconds = 1)
    {
        var clock = new PollClock();
        source.Clock = clock;
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MODEL_REFRESH_SECONDS"] = refreshSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["LABELS_PATH"] = SharedModels.Labels,
            [TestMemoryBudget.Setting.Key] = TestMemoryBudget.Setting.Value,
        });
        var logs = new CapturedLogs();
        builder.Logging.AddProvider(logs);
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddMemoryBudget(builder.Configuration);
        builder.Services.AddImaging(builder.Configuration);
        builder.Services.AddInference(builder.Configuration);
        builder.Services.AddSingleton<IModelSource>(source);
        var host = builder.Build();
        await host.StartAsync();
        var started = new RefresherHost(host, source, clock, logs);
        await host.Services.GetRequiredService<ModelLoader>().WaitUntilLoadedAsync(CancellationToken.None);
        return started;
    }

    /// <summary>Waits until the refresher has set its first wait (it has started following).</summary>
    public Task WaitUntilFollowingAsync() => Eventually.WaitAsync(() => Clock.Timers > 0, "the refresher never set a wait");

    /// <summary>
    /// Moves the clock to the refresher's next question and waits until it has asked (and done
    /// whatever the answer called for) and set its next wait; returns that wait.
    /// </summary>
    public async Task<TimeSpan> NextQuestionAsync()
    {
        var timers = Clock.Timers;
        Clock.Advance(Clock.NextDue - Clock.GetUtcNow());
        await Eventually.WaitAsync(() => Clock.Timers > timers, "the refresher did not ask again and set its next wait");
        return Clock.LastWait;
    }

    public long Refreshes(string outcome) => Counters.Total("imageclassifier.model.refresh", ("outcome", outcome));

    public async ValueTask DisposeAsync()
    {
        Counters.Dispose();
        await host.StopAsync();
        host.Dispose();
    }

    /// <summary>A fake clock that remembers the timers set on it: how many, and the last one's wait and due time.</summary>
    public sealed class PollClock() : FakeTimeProvider(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero))
    {
        private int timers;

        public int Timers => Volatile.Read(ref timers);

        public TimeSpan LastWait { get; private set; }

        public DateTimeOffset NextDue { get; private set; }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            LastWait = dueTime;
            NextDue = GetUtcNow() + dueTime;
            var timer = base.CreateTimer(callback, state, dueTime, period);
            Interlocked.Increment(ref timers);
            return timer;
        }
    }
}

/// <summary>A registry alias the test moves: which version it names, each version's files, and whether the registry answers.</summary>
public sealed class ScriptedSource : IModelSource
{
    private readonly Dictionary<string, SourcedModel> versions = [];
    private readonly List<(string Version, DateTimeOffset At)> fetches = [];
    private readonly Lock gate = new();

    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>The version the alias names.</summary>
    public string Current { get; set; } = "1";

    /// <summary>When true, the registry cannot be reached.</summary>
    public bool Down { get; set; }

    public int Questions { get; private set; }

    /// <summary>When each version was fetched, on the test's clock.</summary>
    public IReadOnlyList<(string Version, DateTimeOffset At)> Fetches
    {
        get
        {
            lock (gate)
            {
                return [.. fetches];
            }
        }
    }

    public string Setting => "TEST_MODEL_URI";

    public bool IsRequested => true;

    public bool CanMove => true;

    /// <summary>A version whose files are <paramref name="modelPath"/>, delivered with <paramref name="sha256"/> (the file's own, unless the test says otherwise).</summary>
    public ScriptedSource With(string version, string modelPath, string? sha256 = null)
    {
        var actual = sha256 ?? Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(modelPath)));
        versions[version] = new SourcedModel("scripted", version, modelPath, null, actual);
        return this;
    }

    public Task<SourcedModel> FetchAsync(CancellationToken cancellationToken) => Task.FromResult(versions[Current]);

    public Task<string> GetCurrentVersionAsync(CancellationToken cancellationToken)
    {
        Questions++;
        return Down
            ? Task.FromException<string>(new ModelUnavailableException(ModelMetrics.Outcomes.RegistryUnreachable, "the scripted registry is down"))
            : Task.FromResult(Current);
    }

    public Task<SourcedModel> FetchVersionAsync(string version, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            fetches.Add((version, Clock.GetUtcNow()));
        }

        return Task.FromResult(versions[version]);
    }
}
