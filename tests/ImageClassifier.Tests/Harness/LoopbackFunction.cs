using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace ImageClassifier.Tests.Harness;

/// <summary>
/// The function in-process on a real Kestrel socket, for clients that need one (a browser): it
/// listens on 127.0.0.1 at a free port, in place of the port the function would take on every
/// interface. Ready once started.
/// </summary>
public sealed class LoopbackFunction : IAsyncDisposable
{
    private readonly FunctionApp _app;

    private LoopbackFunction(FunctionApp app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public IServiceProvider Services => _app.Services;

    public static Task<LoopbackFunction> StartAsync(IReadOnlyDictionary<string, string?>? settings = null) => StartAsync(new FunctionApp(settings));

    /// <summary>Starts <paramref name="app"/> (the function, or it with fakes) on loopback; the result disposes it.</summary>
    public static async Task<LoopbackFunction> StartAsync(FunctionApp app)
    {
        // The factory's Kestrel listens at http://127.0.0.1:0 and prefers that to the endpoints configured in code.
        app.UseKestrel(0);
        app.StartServer();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        var function = new LoopbackFunction(app, new Uri(address.EndsWith('/') ? address : address + "/"));
        Assert.True(IPAddress.IsLoopback(IPAddress.Parse(function.BaseAddress.Host)), $"The function listens on {address}, not on loopback.");

        using var client = new HttpClient { BaseAddress = function.BaseAddress };
        await Readiness.WaitAsync(client, new Uri("readyz", UriKind.Relative));
        return function;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
