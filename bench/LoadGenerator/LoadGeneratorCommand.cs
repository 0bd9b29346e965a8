using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.Json;

namespace ImageClassifier.LoadGenerator;

/// <summary>The command line: load mode (--url), serve mode (--serve), or both at once.</summary>
public static class LoadGeneratorCommand
{
    private static readonly Option<string> Url = new("--url") { Description = "Base URL of the function to load; 127.0.0.1 only (e.g. http://127.0.0.1:8080/)." };
    private static readonly Option<FileInfo> Body = new("--body") { Description = "File whose bytes are POSTed as the request body." };
    private static readonly Option<string> ContentType = new("--content-type") { Description = "Content-Type of --body.", DefaultValueFactory = _ => "image/jpeg" };
    private static readonly Option<string> JsonUrl = new("--json-url") { Description = "POST {\"url\": this} as application/json instead of --body; 127.0.0.1 only." };
    private static readonly Option<int> Concurrency = new("--concurrency", "-c") { Description = "Concurrent connections (1-256).", DefaultValueFactory = _ => 8 };
    private static readonly Option<int> Duration = new("--duration", "-d") { Description = "Measured seconds (1-600).", DefaultValueFactory = _ => 20 };
    private static readonly Option<int> Warmup = new("--warmup", "-w") { Description = "Warm-up seconds before measuring (0-300).", DefaultValueFactory = _ => 5 };
    private static readonly Option<int> Rate = new("--rate") { Description = "Requests a second each connection starts at most (0-10000; 0: the next as soon as an answer comes back).", DefaultValueFactory = _ => 0 };
    private static readonly Option<int> Timeout = new("--timeout") { Description = "Seconds before one request counts as a timeout (1-120).", DefaultValueFactory = _ => 30 };
    private static readonly Option<string> Client = new("--client")
    {
        Description = "http: one HttpClient, as a .NET caller sends; socket: a raw keep-alive socket a loop, much cheaper per answer, for when the client shares the server's cores.",
        DefaultValueFactory = _ => "http",
    };

    private static readonly Option<DirectoryInfo> Serve = new("--serve") { Description = "Serve this folder's files on 127.0.0.1 (during the load run, or alone)." };
    private static readonly Option<int> ServePort = new("--serve-port") { Description = "Port for --serve.", DefaultValueFactory = _ => 9000 };
    private static readonly Option<int> ServeSeconds = new("--serve-seconds") { Description = "Serve-only mode stops after this many seconds (1-3600).", DefaultValueFactory = _ => 600 };

    public static RootCommand Create()
    {
        var command = new RootCommand("Load generator for the image-classifier function: POST / at a fixed concurrency, on 127.0.0.1 only.")
        {
            Url, Body, ContentType, JsonUrl, Concurrency, Duration, Warmup, Rate, Timeout, Client, Serve, ServePort, ServeSeconds,
        };
        RequireRange(Concurrency, 1, 256);
        RequireRange(Duration, 1, 600);
        RequireRange(Warmup, 0, 300);
        RequireRange(Rate, 0, 10000);
        RequireRange(Timeout, 1, 120);
        RequireRange(ServePort, 1, 65535);
        RequireRange(ServeSeconds, 1, 3600);
        Client.AcceptOnlyFromAmong("http", "socket");
        command.Validators.Add(Validate);
        command.SetAction(RunAsync);
        return command;
    }

    private static void RequireRange(Option<int> option, int min, int max) =>
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is var value && (value < min || value > max))
            {
                result.AddError($"{option.Name} must be between {min} and {max}.");
            }
        });

    private static void Validate(CommandResult result)
    {
        var url = result.GetValue(Url);
        if (url is null && result.GetValue(Serve) is null)
        {
            result.AddError("Give --url to generate load, --serve to serve files, or both.");
            return;
        }

        foreach (var (option, value) in new[] { (Url, url), (JsonUrl, result.GetValue(JsonUrl)) })
        {
            if (value is not null && !LoopbackTarget.TryParse(value, option.Name, out _, out var problem))
            {
                result.AddError(problem!);
            }
        }

        if (url is not null && (result.GetValue(Body) is null) == (result.GetValue(JsonUrl) is null))
        {
            result.AddError("With --url, give exactly one of --body and --json-url.");
        }

        if (result.GetValue(Body) is { Exists: false } missing)
        {
            result.AddError($"--body: no file at {missing.FullName}.");
        }

        if (result.GetValue(Serve) is { Exists: false } folder)
        {
            result.AddError($"--serve: no folder at {folder.FullName}.");
        }
    }

    private static async Task<int> RunAsync(ParseResult parsed, CancellationToken cancellationToken)
    {
        var folder = parsed.GetValue(Serve);
        await using var host = folder is null ? null : await StaticFileHost.StartAsync(folder, parsed.GetValue(ServePort), cancellationToken);
        if (folder is not null)
        {
            Console.WriteLine($"serving {folder.FullName} on http://127.0.0.1:{parsed.GetValue(ServePort)}/");
        }

        if (parsed.GetValue(Url) is not { } url)
        {
            await WaitQuietlyAsync(TimeSpan.FromSeconds(parsed.GetValue(ServeSeconds)), cancellationToken);
            return 0;
        }

        var plan = await CreatePlanAsync(parsed, url, cancellationToken);
        var timeout = TimeSpan.FromSeconds(parsed.GetValue(Timeout));
        using var client = parsed.GetValue(Client) == "socket" ? null : HttpClientConnection.CreateClient(plan.Concurrency, timeout);
        var request = client is null ? SocketConnection.BuildRequest(plan) : null;
        Func<ILoadConnection> connect = client is null
            ? () => new SocketConnection(plan.Target, request, timeout)
            : () => new HttpClientConnection(client, plan);
        var report = await new LoadRunner(connect, TimeProvider.System).RunAsync(plan, cancellationToken);
        report.Print(Console.Out);
        return report.Ok > 0 ? 0 : 1;
    }

    private static async Task<LoadPlan> CreatePlanAsync(ParseResult parsed, string url, CancellationToken cancellationToken)
    {
        LoopbackTarget.TryParse(url, Url.Name, out var target, out _);
        var concurrency = parsed.GetValue(Concurrency);
        var warmup = TimeSpan.FromSeconds(parsed.GetValue(Warmup));
        var duration = TimeSpan.FromSeconds(parsed.GetValue(Duration));
        var rate = parsed.GetValue(Rate);
        var how = (rate > 0 ? $", at most {rate}/s a connection" : "") + (parsed.GetValue(Client) == "socket" ? ", socket client" : "");
        if (parsed.GetValue(JsonUrl) is { } imageUrl)
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["url"] = imageUrl });
            return new LoadPlan(target!, $"json url {imageUrl}{how}", json, "application/json", concurrency, warmup, duration, rate);
        }

        var file = parsed.GetValue(Body)!;
        var bytes = await File.ReadAllBytesAsync(file.FullName, cancellationToken);
        var contentType = parsed.GetValue(ContentType)!;
        return new LoadPlan(target!, $"body {file.Name}, {bytes.Length} bytes, {contentType}{how}", bytes, contentType, concurrency, warmup, duration, rate);
    }

    private static async Task WaitQuietlyAsync(TimeSpan span, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(span, TimeProvider.System, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C or SIGTERM ends serve-only mode early, as asked.
        }
    }
}
