using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImageClassifier.Tests.Harness;

/// <summary>
/// The in-process function with its settings and, beyond what <see cref="FunctionApp"/> offers,
/// every log entry captured and optionally some services replaced; ready once started.
/// </summary>
public sealed class ConfiguredFunction : IAsyncDisposable
{
    private readonly FunctionApp _app;
    private readonly WebApplicationFactory<Program> _factory;

    private ConfiguredFunction(IReadOnlyDictionary<string, string?>? settings, Action<IServiceCollection>? services)
    {
        _app = new FunctionApp(settings);
        _factory = _app.WithWebHostBuilder(builder =>
        {
            builder.ConfigureLogging(logging => logging.AddProvider(Logs));
            if (services is not null)
            {
                builder.ConfigureTestServices(services);
            }
        });
    }

    public CapturedLogs Logs { get; } = new();

    public HttpClient Client { get; private set; } = null!;

    public IServiceProvider Services => _factory.Services;

    public static async Task<ConfiguredFunction> StartAsync(
        IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var function = new ConfiguredFunction(settings, services);
        function.Client = function._factory.CreateClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            using var ready = await function.Client.GetAsync(new Uri("/readyz", UriKind.Relative), timeout.Token);
            if (ready.StatusCode == HttpStatusCode.OK)
            {
                return function;
            }

            await Task.Delay(50, timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
        await _app.DisposeAsync();
    }
}
