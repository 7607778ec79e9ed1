using System.Net;
using Klarna.Sandbox;
using Microsoft.Playwright;
using Nop.Plugin.Payments.Klarna.Services.Api;
using NUnit.Framework;
using Nop.Plugin.Payments.Klarna.Services.Checkout;
using Nop.Plugin.Payments.Klarna.Tests.Support;

namespace Nop.Plugin.Payments.Klarna.Tests.Browser;

/// <summary>
/// Drives Content/klarna-checkout.js in headless Chromium against the sandbox's stand-in Klarna library: the payment info
/// markup of Views/Public/PaymentInfo.cshtml inside a nopCommerce-like payment step, served from the sandbox's origin
/// </summary>
[TestFixture]
[NonParallelizable]
public class KlarnaPaymentStepBrowserTests
{
    private const string ChromiumPath = "/usr/bin/chromium";

    private KlarnaSandboxHost _sandbox;
    private IPlaywright _playwright;
    private IBrowser _browser;
    private IKlarnaApiClient _client;
    private KlarnaCredentials _credentials;

    [OneTimeSetUp]
    public async Task StartBrowser()
    {
        if (!File.Exists(ChromiumPath))
            Assert.Ignore("Chromium is not installed at /usr/bin/chromium");

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = new[] { "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync" }
        });
    }

    [OneTimeTearDown]
    public async Task StopBrowser()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();

        _playwright?.Dispose();
    }

    [SetUp]
    public async Task StartSandbox()
    {
        _sandbox = await KlarnaSandboxHost.StartAsync(new SandboxOptions());
        _client = KlarnaTestClients.Create();
        _credentials = KlarnaTestClients.Credentials(_sandbox);
    }

    [TearDown]
    public async Task StopSandbox()
    {
        await _sandbox.DisposeAsync();
    }

    private static string ScriptPath()
    {
        var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Nop.Plugin.Payments.Klarna", "Content", "klarna-checkout.js")))
            directory = directory.Parent;

        return Path.Combine(directory!.FullName, "Nop.Plugin.Payments.Klarna", "Content", "klarna-checkout.js");
    }

    private async Task<KlarnaSession> CreateSessionAsync()
    {
        var source = new KlarnaOrderLineSource
        {
            CurrencyCode = "EUR", PurchaseCountry = "DE", OrderTotal = 59.5m,
            Items = { new KlarnaItemSource { Name = "Shirt", Sku = "SHIRT", Quantity = 1, UnitPriceInclTax = 59.5m, TotalInclTax = 59.5m, TaxRate = 19m } }
        };
        var lines = KlarnaOrderLineBuilder.Build(source);
        return await _client.CreateSessionAsync(_credentials, Request(lines));
    }

    private static KlarnaSessionRequest Request(KlarnaOrderLines lines) => new()
    {
        PurchaseCountry = "DE", PurchaseCurrency = "EUR", Locale = "de-DE",
        OrderAmount = lines.OrderAmount, OrderTaxAmount = lines.OrderTaxAmount, OrderLines = lines.Lines, Intent = "buy"
    };

    /// <summary>
    /// The payment step: nopCommerce's one-page checkout button with its inline handler, the plugin's markup inside
    /// </summary>
    private string Page(KlarnaSession session) => $$"""
        <!DOCTYPE html>
        <html><head><title>Checkout</title></head><body>
        <form id="co-payment-info-form">
          <div id="klarna-payment-info" class="klarna-payment-info"
               data-client-token="{{WebUtility.HtmlEncode(session.ClientToken)}}" data-session-id="{{session.SessionId}}"
               data-not-completed="The payment with Klarna was not completed." data-declined="Klarna declined the payment.">
            <input type="hidden" id="klarna_authorization_token" name="klarna_authorization_token" value="" />
            <input type="hidden" id="klarna_session_id" name="klarna_session_id" value="{{session.SessionId}}" />
            <input type="hidden" id="klarna_payment_method_category" name="klarna_payment_method_category" value="{{session.PaymentMethodCategories[0].Identifier}}" />
            <div id="klarna-payments-container">Loading Klarna...</div>
            <div class="message-error klarna-message" id="klarna-message" style="display:none" role="alert"></div>
            <script src="{{_sandbox.BaseUri}}kp/lib/v1/api.js"></script>
            <script src="{{_sandbox.BaseUri}}shop/klarna-checkout.js"></script>
          </div>
        </form>
        <button type="button" class="button-1 payment-info-next-step-button"
                onclick="window.savedToken = document.getElementById('klarna_authorization_token').value">Continue</button>
        </body></html>
        """;

    private async Task<IPage> OpenAsync(KlarnaSession session, string beforeScripts = null)
    {
        var page = await _browser.NewPageAsync();
        var html = Page(session);
        var script = await File.ReadAllTextAsync(ScriptPath());
        await page.RouteAsync($"{_sandbox.BaseUri}shop/checkout", route => route.FulfillAsync(new RouteFulfillOptions { ContentType = "text/html", Body = html }));
        await page.RouteAsync($"{_sandbox.BaseUri}shop/klarna-checkout.js", route => route.FulfillAsync(new RouteFulfillOptions { ContentType = "text/javascript", Body = script }));
        if (beforeScripts is not null)
            await page.AddInitScriptAsync(beforeScripts);

        await page.GotoAsync($"{_sandbox.BaseUri}shop/checkout");
        await page.WaitForSelectorAsync(".klarna-sandbox-widget");
        return page;
    }

    [Test]
    public async Task Continue_authorizes_with_klarna_puts_the_token_in_the_form_and_lets_nopcommerce_go_on()
    {
        // Arrange
        var session = await CreateSessionAsync();
        var page = await OpenAsync(session);

        // Act
        await page.ClickAsync(".payment-info-next-step-button");
        await page.WaitForFunctionAsync("() => !!window.savedToken");

        // Assert: the token nopCommerce posts is one Klarna accepts for creating the order
        var token = await page.EvaluateAsync<string>("() => window.savedToken");
        Assert.That(await page.InputValueAsync("#klarna_authorization_token"), Is.EqualTo(token));
        Assert.That(await page.IsVisibleAsync("#klarna-message"), Is.False);
        var lines = KlarnaOrderLineBuilder.Build(new KlarnaOrderLineSource
        {
            CurrencyCode = "EUR", PurchaseCountry = "DE", OrderTotal = 59.5m,
            Items = { new KlarnaItemSource { Name = "Shirt", Sku = "SHIRT", Quantity = 1, UnitPriceInclTax = 59.5m, TotalInclTax = 59.5m, TaxRate = 19m } }
        });
        var order = await _client.CreateOrderAsync(_credentials, token, Request(lines));
        Assert.That(order.OrderId, Is.Not.Empty);
    }

    [Test]
    public async Task A_declined_widget_keeps_the_customer_on_the_step_with_a_message()
    {
        // Arrange
        var session = await CreateSessionAsync();
        var page = await OpenAsync(session, "window.KlarnaSandbox = { decline: true };");

        // Act
        await page.ClickAsync(".payment-info-next-step-button");
        await page.WaitForSelectorAsync("#klarna-message", new PageWaitForSelectorOptions { State = WaitForSelectorState.Visible });

        // Assert
        Assert.That(await page.TextContentAsync("#klarna-message"), Is.EqualTo("Klarna declined the payment."));
        Assert.That(await page.EvaluateAsync<bool>("() => window.savedToken === undefined"), Is.True);
        Assert.That(await page.InputValueAsync("#klarna_authorization_token"), Is.Empty);
    }
}
