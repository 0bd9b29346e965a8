using ImageClassifier.Tests.Harness;
using Microsoft.Playwright;

namespace ImageClassifier.Tests.Ui;

/// <summary>
/// One Chromium and the real function (real model) on loopback sockets for the browser tests:
/// one that may fetch from loopback, where <see cref="ImageHost"/> serves the test images, and
/// one with the default network guard, which refuses that host before connecting to it.
/// </summary>
public sealed class TryPageFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public FunctionApp Function { get; } = new();

    public FunctionApp GuardedFunction { get; } = new(new Dictionary<string, string?> { ["FETCH_ALLOW_PRIVATE_NETWORKS"] = "false" });

    public LoopbackServer ImageHost { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Chromium.ExecutablePath();
        var function = Function.StartOnLoopbackAsync();
        var guarded = GuardedFunction.StartOnLoopbackAsync();
        var imageHost = LoopbackServer.ServingAsync("chelsea.png");
        _playwright = await Playwright.CreateAsync();
        Browser = await Chromium.LaunchAsync(_playwright);
        await function;
        await guarded;
        ImageHost = await imageHost;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        foreach (var disposable in new IAsyncDisposable?[] { Function, GuardedFunction, ImageHost })
        {
            if (disposable is not null)
            {
                await disposable.DisposeAsync();
            }
        }
    }
}
