using System.Reflection;
using ImageClassifier.Tests.Harness;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Tests.Config;

/// <summary>An xunit fixture: the function in-process with its default settings, to read what it listens on and maps.</summary>
public sealed class RunningFunction : FunctionApp
{
    /// <summary>The paths the app serves health checks on, as its own endpoint table lists them.</summary>
    public IReadOnlySet<string> HealthCheckPaths() => Services.GetRequiredService<EndpointDataSource>().Endpoints
        .OfType<RouteEndpoint>()
        .Where(endpoint => endpoint.DisplayName == "Health checks")
        .Select(endpoint => endpoint.RoutePattern.RawText!)
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The port Kestrel is told to listen on when PORT is not set. The in-process host never
    /// binds it, so it is read from the server options the function configures; Kestrel keeps
    /// the endpoints configured in code in a non-public list.
    /// </summary>
    public int DefaultListenPort()
    {
        var kestrel = Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value;
        var configured = typeof(KestrelServerOptions)
            .GetProperty("CodeBackedListenOptions", BindingFlags.Instance | BindingFlags.NonPublic)?
            .GetValue(kestrel) as IEnumerable<ListenOptions>
            ?? throw new Xunit.Sdk.XunitException("This Kestrel version keeps its code-configured endpoints elsewhere.");
        return Assert.Single(configured).IPEndPoint!.Port;
    }
}
