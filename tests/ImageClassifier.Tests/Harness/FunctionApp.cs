using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ImageClassifier.Tests.Harness;

/// <summary>
/// The function in-process, configured as its environment variables would configure it. By
/// default it may fetch from loopback, since the image hosts of the tests live there.
/// </summary>
public sealed class FunctionApp(IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    private static readonly Dictionary<string, string?> Defaults = new(StringComparer.Ordinal)
    {
        ["FETCH_ALLOW_PRIVATE_NETWORKS"] = "true",
        // Nothing routes to a test host, so stopping it need not wait for routing to catch up.
        ["SHUTDOWN_DRAIN_SECONDS"] = "0",
    };

    /// <summary>Starts the app and waits until /readyz says the model is loaded and warmed.</summary>
    public async Task<HttpClient> CreateReadyClientAsync()
    {
        var client = CreateClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative), timeout.Token);
            if (ready.StatusCode == HttpStatusCode.OK)
            {
                return client;
            }

            await Task.Delay(50, timeout.Token);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in Defaults.Concat(settings ?? new Dictionary<string, string?>()))
        {
            builder.UseSetting(key, value);
        }
    }
}
