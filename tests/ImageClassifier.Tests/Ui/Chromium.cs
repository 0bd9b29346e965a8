using Microsoft.Playwright;

namespace ImageClassifier.Tests.Ui;

/// <summary>
/// Debian's Chromium, driven by Playwright. Playwright's own browser download cannot be reached
/// where this project is built, so the system browser is launched by its path: CHROMIUM_PATH,
/// else /usr/bin/chromium (.ci/run installs it when it is missing).
/// </summary>
public static class Chromium
{
    public const string PathVariable = "CHROMIUM_PATH";

    public const string DefaultPath = "/usr/bin/chromium";

    /// <summary>
    /// Headless, without the sandbox (CI runs as root) and without the background services that
    /// would try to reach Google's hosts: the only traffic is to the function on loopback.
    /// </summary>
    private static readonly string[] Arguments =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--disable-domain-reliability",
        "--no-first-run",
        "--no-default-browser-check",
        "--metrics-recording-only",
    ];

    public static string ExecutablePath()
    {
        var configured = Environment.GetEnvironmentVariable(PathVariable);
        var path = string.IsNullOrEmpty(configured) ? DefaultPath : configured;
        Assert.True(
            File.Exists(path),
            $"No Chromium at {path}. The try page is tested in a real browser: install Debian's chromium "
            + $"(apt-get install -y chromium) or set {PathVariable} to a Chromium executable. .ci/run installs it.");
        return path;
    }

    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath(),
            Headless = true,
            Args = Arguments,
            Timeout = 60_000,
        });
}
