using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImageClassifier.Tests.Harness;

/// <summary>
/// The one way a test gets the function in-process (Harness/README.md): configured as its
/// environment variables would configure it, with every log entry captured and, for a test that
/// needs it, some services replaced. By default it may fetch from loopback, since the image hosts
/// of the tests live there. Use it as an xunit fixture (a subclass with no constructor
/// parameters, such as <see cref="DefaultFunction"/>), or start one in a test with
/// <see cref="StartAsync"/>; <see cref="Client"/> then talks to it through the in-memory test
/// server. <see cref="StartOnLoopbackAsync"/> puts it on a real socket instead.
/// </summary>
public class FunctionApp(IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    : WebApplicationFactory<Program>, IAsyncLifetime
{
    private static readonly Dictionary<string, string?> Defaults = new(StringComparer.Ordinal)
    {
        ["FETCH_ALLOW_PRIVATE_NETWORKS"] = "true",
        // The image hosts of the tests listen on whatever port the kernel gives them.
        ["FETCH_ALLOWED_PORTS"] = "",
        // Nothing routes to a test host, so stopping it need not wait for routing to catch up.
        ["SHUTDOWN_DRAIN_SECONDS"] = "0",
        [TestMemoryBudget.Setting.Key] = TestMemoryBudget.Setting.Value,
    };

    private HttpClient? client;
    private Uri? loopback;

    public CapturedLogs Logs { get; } = new();

    /// <summary>A client of the in-memory server, once the app is ready (<see cref="InitializeAsync"/>, <see cref="StartAsync"/>).</summary>
    public HttpClient Client => client ?? throw new InvalidOperationException("The app is not started: use it as a fixture, or call InitializeAsync.");

    /// <summary>Where the app listens on loopback, once <see cref="StartOnLoopbackAsync"/> has started it there.</summary>
    public Uri BaseAddress => loopback ?? throw new InvalidOperationException("The app is not on a socket: call StartOnLoopbackAsync.");

    /// <summary>Starts an app with these settings and replacements, and waits until it is ready.</summary>
    public static async Task<FunctionApp> StartAsync(
        IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var app = new FunctionApp(settings, services);
        await app.InitializeAsync();
        return app;
    }

    /// <summary>Starts the app and waits until it is ready (what xunit calls on a fixture).</summary>
    public async Task InitializeAsync() => client = await CreateReadyClientAsync();

    /// <summary>Starts the app and waits until /readyz says the model is loaded and warmed.</summary>
    public async Task<HttpClient> CreateReadyClientAsync()
    {
        var ready = CreateClient();
        await Readiness.WaitAsync(ready, new Uri("/readyz", UriKind.Relative));
        OnReady();
        return ready;
    }

    /// <summary>
    /// Starts the app on a real Kestrel socket, for clients that need one (a browser, a raw
    /// socket): it listens on 127.0.0.1 at a free port, in place of the port the function would
    /// take on every interface. Returns once it is ready, at <see cref="BaseAddress"/>.
    /// </summary>
    public async Task StartOnLoopbackAsync()
    {
        // The factory's Kestrel listens at http://127.0.0.1:0 and prefers that to the endpoints configured in code.
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        var listening = new Uri(address.EndsWith('/') ? address : address + "/");
        Assert.True(IPAddress.IsLoopback(IPAddress.Parse(listening.Host)), $"The function listens on {address}, not on loopback.");

        using var socketClient = new HttpClient { BaseAddress = listening };
        await Readiness.WaitAsync(socketClient, new Uri("readyz", UriKind.Relative));
        OnReady();
        loopback = listening;
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    /// <summary>What a kind of test app does once the function is ready, before the test goes on.</summary>
    protected virtual void OnReady()
    {
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in Defaults.Concat(settings ?? new Dictionary<string, string?>()))
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureTestServices(replace =>
        {
            ConfigureServices(replace);
            services?.Invoke(replace);
        });
    }

    /// <summary>Services a kind of test app replaces, before the test's own replacements.</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }
}
