using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Klarna.Sandbox;
using Microsoft.Playwright;
using Newtonsoft.Json.Linq;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Sandbox;

/// <summary>
/// The sandbox's stand-in of Klarna's browser library (/kp/lib/v1/api.js) in headless Chromium: authorize with and without
/// auto_finalize, finalize, and the data (addresses) it passes on, on a page served from the sandbox's origin
/// </summary>
[TestFixture]
[NonParallelizable]
public class SandboxBrowserLibraryTests
{
    private const string ChromiumPath = "/usr/bin/chromium";

    private SandboxFixture _fixture;
    private IPlaywright _playwright;
    private IBrowser _browser;
    private IPage _page;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        if (!File.Exists(ChromiumPath))
            Assert.Ignore("Chromium is not installed at /usr/bin/chromium");

        _fixture = await SandboxFixture.StartAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = new[] { "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync" }
        });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _playwright?.Dispose();
        if (_fixture is not null)
            await _fixture.DisposeAsync();
    }

    [SetUp]
    public void Reset() => _fixture.Reset();

    [TearDown]
    public async Task ClosePageAsync()
    {
        if (_page is not null)
            await _page.CloseAsync();
        _page = null;
    }

    /// <summary>
    /// Opens a page on the sandbox's origin with the library initialized for a new session
    /// </summary>
    private async Task<(IPage Page, string SessionId)> OpenAsync()
    {
        var session = await _fixture.Client.CreateSessionAsync(_fixture.Credentials, SandboxFixture.Cart());
        var page = _page = await _browser.NewPageAsync();
        var html = $"<html><body><div id='klarna'></div><script src='{_fixture.Sandbox.BaseUri}kp/lib/v1/api.js'></script>" +
            $"<script>Klarna.Payments.init({{ client_token: '{session.ClientToken}' }});</script></body></html>";
        await page.RouteAsync($"{_fixture.Sandbox.BaseUri}test/page", route => route.FulfillAsync(new RouteFulfillOptions { ContentType = "text/html", Body = html }));
        await page.GotoAsync($"{_fixture.Sandbox.BaseUri}test/page");
        return (page, session.SessionId);
    }

    private static async Task<JObject> CallAsync(IPage page, string call) =>
        JObject.Parse(await page.EvaluateAsync<string>($"() => new Promise(resolve => {call})"));

    [Test]
    public async Task Authorize_without_auto_finalize_for_pay_now_answers_finalize_required_then_finalize_gives_the_token()
    {
        // Arrange
        var (page, sessionId) = await OpenAsync();
        var data = "{ billing_address: { given_name: 'Erika', family_name: 'Mustermann', country: 'DE' } }";

        // Act
        var authorized = await CallAsync(page, $"Klarna.Payments.authorize({{ payment_method_category: 'pay_now', auto_finalize: false }}, {data}, r => resolve(JSON.stringify(r)))");
        var finalized = await CallAsync(page, $"Klarna.Payments.finalize({{ payment_method_category: 'pay_now' }}, {data}, r => resolve(JSON.stringify(r)))");

        // Assert
        Assert.That((authorized.Value<bool>("approved"), authorized.Value<bool>("finalize_required")), Is.EqualTo((true, true)));
        Assert.That(authorized["authorization_token"], Is.Null);
        Assert.That(finalized.Value<bool>("approved"), Is.True);
        var token = finalized.Value<string>("authorization_token");
        Assert.That(token, Does.StartWith("sbx-authz-"));
        var cart = SandboxFixture.Cart();
        cart.BillingAddress = new KlarnaAddress { GivenName = "Erika", FamilyName = "Mustermann", Country = "DE" };
        var order = await _fixture.Client.CreateOrderAsync(_fixture.Credentials, token, cart);
        Assert.That(_fixture.State.GetOrder(order.OrderId).BillingAddress.GivenName, Is.EqualTo("Erika"));
        Assert.That(_fixture.State.GetSession(sessionId).Status, Is.EqualTo("complete"));
    }

    [TestCase("{ payment_method_category: 'pay_later', auto_finalize: false }")]
    [TestCase("{ payment_method_category: 'pay_now' }")]
    public async Task Authorize_gives_the_token_at_once_without_finalize_for_pay_later_or_by_default(string options)
    {
        // Arrange
        var (page, _) = await OpenAsync();

        // Act
        var authorized = await CallAsync(page, $"Klarna.Payments.authorize({options}, {{}}, r => resolve(JSON.stringify(r)))");

        // Assert
        Assert.That((authorized.Value<bool>("approved"), authorized.Value<bool>("finalize_required")), Is.EqualTo((true, false)));
        Assert.That(authorized.Value<string>("authorization_token"), Does.StartWith("sbx-authz-"));
    }

    [Test]
    public async Task Authorized_addresses_other_than_the_orders_make_create_order_refused()
    {
        // Arrange: the browser authorized with one billing address, the order carries another
        var (page, _) = await OpenAsync();
        var authorized = await CallAsync(page,
            "Klarna.Payments.authorize({ payment_method_category: 'pay_later' }, { billing_address: { given_name: 'Erika', country: 'DE' } }, r => resolve(JSON.stringify(r)))");
        var cart = SandboxFixture.Cart();
        cart.BillingAddress = new KlarnaAddress { GivenName = "Max", Country = "DE" };

        // Act
        var exception = Assert.ThrowsAsync<KlarnaApiException>(() =>
            _fixture.Client.CreateOrderAsync(_fixture.Credentials, authorized.Value<string>("authorization_token"), cart));

        // Assert
        Assert.That(exception.StatusCode, Is.EqualTo(409));
        Assert.That(exception.ErrorMessages[0], Does.Contain("billing_address.given_name"));
    }
}
