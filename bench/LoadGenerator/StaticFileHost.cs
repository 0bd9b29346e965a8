using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace ImageClassifier.LoadGenerator;

/// <summary>
/// Serves the files of one folder on 127.0.0.1 (Kestrel's static files), so the function can be
/// made to fetch images by URL without leaving the machine.
/// </summary>
public static class StaticFileHost
{
    public static async Task<WebApplication> StartAsync(DirectoryInfo folder, int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = folder.FullName });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(folder.FullName) });
        await app.StartAsync(cancellationToken);
        return app;
    }
}
