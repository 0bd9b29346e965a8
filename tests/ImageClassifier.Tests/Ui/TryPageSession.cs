using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace ImageClassifier.Tests.Ui;

/// <summary>
/// The try page open in its own browser context, with everything that would show a broken page
/// recorded: console errors, uncaught exceptions and Content-Security-Policy violations.
/// </summary>
public sealed partial class TryPageSession : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly IBrowserContext _context;
    private readonly ConcurrentQueue<string> _consoleErrors = new();
    private readonly ConcurrentQueue<string> _pageErrors = new();
    private readonly ConcurrentQueue<string> _cspViolations = new();

    private TryPageSession(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
    }

    public IPage Page { get; }

    public IReadOnlyCollection<string> ConsoleErrors => _consoleErrors;

    public IReadOnlyCollection<string> CspViolations => _cspViolations;

    public static async Task<TryPageSession> OpenAsync(
        IBrowser browser, Uri function, int width = 1100, int height = 900, ColorScheme colorScheme = ColorScheme.Light)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = function.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = colorScheme,
            Locale = "en-US",
        });
        context.SetDefaultTimeout((float)Patience.TotalMilliseconds);
        var page = await context.NewPageAsync();
        var session = new TryPageSession(context, page);

        // The listener runs before the page's own code and reports through a binding that the
        // page's policy cannot block, so a violation anywhere in the page's life is seen.
        await context.ExposeFunctionAsync("reportCspViolation", (string violation) => session._cspViolations.Enqueue(violation));
        await context.AddInitScriptAsync(
            "document.addEventListener('securitypolicyviolation', e => window.reportCspViolation(`${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`));");
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                session._consoleErrors.Enqueue(message.Text);
            }
        };
        page.PageError += (_, error) => session._pageErrors.Enqueue(error);

        var response = await page.GotoAsync("/");
        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        return session;
    }

    public ILocator Status => Page.Locator("#status");

    public ILocator PredictionLabels => Page.Locator("#predictions li .prediction-label");

    public ILocator PredictionValues => Page.Locator("#predictions li .prediction-value");

    public Task ChooseFileAsync(string path) => Page.Locator("#file").SetInputFilesAsync(path);

    public async Task ClassifyUrlAsync(Uri url)
    {
        await Page.GetByLabel("Image URL").FillAsync(url.ToString());
        await Page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Classify" }).ClickAsync();
    }

    /// <summary>Waits until the live region announces a classification.</summary>
    public Task WaitForPredictionsAsync() =>
        Assertions.Expect(Status).ToHaveTextAsync(TopPrediction(), new LocatorAssertionsToHaveTextOptions { Timeout = (float)Patience.TotalMilliseconds });

    /// <summary>Waits until the page shows a problem.</summary>
    public Task WaitForProblemAsync() =>
        Assertions.Expect(Page.Locator("#problem")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = (float)Patience.TotalMilliseconds });

    public async Task OpenRawReplyAsync()
    {
        await Page.Locator("#raw summary").ClickAsync();
        await Assertions.Expect(Page.Locator("#raw-data")).ToBeVisibleAsync();
    }

    /// <summary>
    /// Fails on any uncaught exception, any policy violation, and any console error but the one
    /// Chromium itself logs for a reply with an error status, when that status is expected.
    /// </summary>
    public void AssertNothingBroke(int? expectedErrorStatus = null)
    {
        Assert.Empty(_pageErrors);
        Assert.Empty(_cspViolations);
        var unexpected = _consoleErrors
            .Where(error => expectedErrorStatus is not { } status
                || !error.StartsWith($"Failed to load resource: the server responded with a status of {status} ", StringComparison.Ordinal))
            .ToArray();
        Assert.Empty(unexpected);
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();

    [GeneratedRegex("^Top prediction: .+, [0-9.]+%$")]
    private static partial Regex TopPrediction();
}
