using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImageClassifier.Tests.Harness;

/// <summary>
/// The function in-process, configured as its environment variables would configure it, with
/// every log entry captured and, for a test that needs it, some services replaced. By default it
/// may fetch from loopback, since the image hosts of the tests live there.
/// </summary>
public class FunctionApp(IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    : WebApplicationFactory<Program>
{
    private static readonly Dictionary<string, string?> Defaults = new(StringComparer.Ordinal)
    {
        ["FETCH_ALLOW_PRIVATE_NETWORKS"] = "true",
        // The image hosts of the tests listen on whatever port the kernel gives them.
        ["FETCH_ALLOWED_PORTS"] = "",
        // Nothing routes to a test host, so stopping it need not wait for routing to catch up.
        ["SHUTDOWN_DRAIN_SECONDS"] = "0",
        // The test host holds many apps at once: its resident set says nothing of one app's baseline.
        ["MEMORY_BUDGET_BYTES"] = "1073741824",
    };

    public CapturedLogs Logs { get; } = new();

    /// <summary>Starts the app and waits until /readyz says the model is loaded and warmed.</summary>
    public async Task<HttpClient> CreateReadyClientAsync()
    {
        var client = CreateClient();
        await Readiness.WaitAsync(client, new Uri("/readyz", UriKind.Relative));
        OnReady();
        return client;
    }

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
