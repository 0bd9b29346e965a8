using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace ImageClassifier.Tests.Harness;

/// <summary>
/// A real HTTP server on 127.0.0.1 for image hosts and upstream faults: each test maps the
/// paths it needs; the server counts every request it receives, per path.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _hits = new(StringComparer.Ordinal);

    private LoopbackServer(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>How many requests reached the server, on any path.</summary>
    public int RequestCount => _hits.Values.Sum();

    /// <summary>A server answering every request, whatever its path, with one handler.</summary>
    public static Task<LoopbackServer> StartAsync(RequestDelegate handler) =>
        StartAsync(routes => routes.Map("{**path}", handler));

    public static async Task<LoopbackServer> StartAsync(Action<IEndpointRouteBuilder> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        // Tests leave slow handlers hanging; stopping should not wait for them.
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(1));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new LoopbackServer(app);
        app.Use((context, next) =>
        {
            server._hits.AddOrUpdate(context.Request.Path.Value ?? "/", 1, (_, n) => n + 1);
            return next(context);
        });
        map(app);
        await app.StartAsync();
        server.BaseAddress = new Uri(app.Urls.Single());
        return server;
    }

    /// <summary>A server that serves each given file at /name with the content type its extension says.</summary>
    public static Task<LoopbackServer> ServingAsync(params string[] imageNames) => StartAsync(routes =>
    {
        foreach (var name in imageNames)
        {
            var bytes = TestImages.Read(name);
            var type = name.EndsWith(".png", StringComparison.Ordinal) ? "image/png" : "image/jpeg";
            routes.MapGet("/" + name, () => Results.Bytes(bytes, type));
        }
    });

    public int Port => BaseAddress.Port;

    public Uri Url(string path) => new(BaseAddress, path);

    public int Hits(string path) => _hits.GetValueOrDefault(path);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
