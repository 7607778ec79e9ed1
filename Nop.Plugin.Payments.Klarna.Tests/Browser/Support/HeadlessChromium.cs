using System.Collections.Concurrent;
using Microsoft.Playwright;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Browser.Support;

/// <summary>
/// Debian's Chromium driven by Playwright (the browser tests' one way to start it), and what went wrong in a page
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private HeadlessChromium(IPlaywright playwright, IBrowser browser)
    {
        Playwright = playwright;
        Browser = browser;
    }

    public IPlaywright Playwright { get; }

    public IBrowser Browser { get; }

    public static async Task<HeadlessChromium> LaunchAsync()
    {
        Assert.That(File.Exists(ChromiumPath), Is.True, "Debian's chromium is required (apt-get install -y chromium; .ci/run installs it)");
        var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = new[] { "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync" }
        });
        return new HeadlessChromium(playwright, browser);
    }

    /// <summary>
    /// Opens a page that records its problems: script errors, console errors, requests that failed or answered 4xx/5xx,
    /// and alerts (nopCommerce's checkout shows step errors in an alert)
    /// </summary>
    public async Task<(IPage Page, ConcurrentQueue<string> Problems, ConcurrentQueue<string> Requests)> OpenPageAsync()
    {
        var page = await Browser.NewPageAsync();
        var problems = new ConcurrentQueue<string>();
        var requests = new ConcurrentQueue<string>();
        page.PageError += (_, error) => problems.Enqueue("script error: " + error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
                problems.Enqueue("console: " + message.Text);
        };
        page.Request += (_, request) => requests.Enqueue(request.Url);
        page.RequestFailed += (_, request) => problems.Enqueue($"request failed: {request.Url} {request.Failure}");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
                problems.Enqueue($"HTTP {response.Status}: {response.Url}");
        };
        page.Dialog += async (_, dialog) =>
        {
            problems.Enqueue("alert: " + dialog.Message);
            await dialog.DismissAsync();
        };
        return (page, problems, requests);
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
    }
}
