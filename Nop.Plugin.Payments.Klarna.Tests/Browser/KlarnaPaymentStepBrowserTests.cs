using System.Collections.Concurrent;
using Klarna.Sandbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Moq;
using Nop.Core;
using Nop.Core.Domain.Cms;
using Nop.Core.Domain.Customers;
using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Services.Checkout;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.Browser.Support;
using Nop.Plugin.Payments.Klarna.Tests.Browser.Support.NopStandIns;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using Nop.Services.Cms;
using Nop.Services.Configuration;
using Nop.Services.Localization;
using Nop.Services.Payments;
using Nop.Services.ScheduleTasks;
using Nop.Web.Framework.Mvc.Routing;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Browser;

/// <summary>
/// Klarna's widget in nopCommerce's two checkouts, in headless Chromium: the stand-in shop (NopShopHost) renders the
/// plugin's real payment info view component, widget and views through stand-ins of nopCommerce 4.90's script tag helper
/// and NopHtml, and the payment goes through the plugin's IPaymentMethod against the Klarna sandbox, whose browser library
/// is loaded from its own origin (127.0.0.1; the shop is localhost). One-page checkout: the payment info step's HTML comes
/// from an AJAX answer inserted with jQuery 3.7's .html(), as nopCommerce's public.onepagecheckout.js does. Multi-step:
/// full pages. JavaScript bundling on (nopCommerce's default) and off.
/// </summary>
[TestFixture]
[NonParallelizable]
public class KlarnaPaymentStepBrowserTests
{
    private HeadlessChromium _chromium;
    private KlarnaSandboxHost _sandbox;
    private CheckoutHarness _checkout;
    private NopShopHost _shop;

    [OneTimeSetUp]
    public async Task StartBrowserAsync()
    {
        _chromium = await HeadlessChromium.LaunchAsync();
    }

    [OneTimeTearDown]
    public async Task StopBrowserAsync()
    {
        if (_chromium != null)
            await _chromium.DisposeAsync();
    }

    [TearDown]
    public async Task StopShopAsync()
    {
        if (_shop != null)
            await _shop.DisposeAsync();
        if (_sandbox != null)
            await _sandbox.DisposeAsync();
    }

    private async Task StartShopAsync(bool bundleJavaScript)
    {
        _sandbox = await KlarnaSandboxHost.StartAsync(new SandboxOptions());
        var client = KlarnaTestClients.Create();
        _checkout = new CheckoutHarness { Credentials = KlarnaTestClients.Credentials(_sandbox) };
        _checkout.Settings.KlarnaLibraryUrl = _sandbox.BaseUri + "kp/lib/v1/api.js";
        _checkout.WebHelper.Setup(w => w.GetStoreLocation(It.IsAny<bool?>())).Returns(() => _shop.BaseUrl + "/");

        var checkoutService = _checkout.CheckoutService(client);
        var paymentMethod = new KlarnaPaymentMethod(checkoutService, Mock.Of<IKlarnaNopPaymentOperations>(), _checkout.Localization.Object,
            Mock.Of<INopUrlHelper>(), Mock.Of<IScheduleTaskService>(), _checkout.SettingService.Object, new PaymentSettings(), new WidgetSettings());
        var paymentPlugins = new Mock<IPaymentPluginManager>();
        paymentPlugins.Setup(p => p.IsPluginActiveAsync(KlarnaDefaults.SystemName, It.IsAny<Customer>(), It.IsAny<int>())).ReturnsAsync(true);

        _shop = await NopShopHost.StartAsync(new NopShopOptions { BundleJavaScript = bundleJavaScript }, services =>
        {
            services.AddSingleton<IPaymentMethod>(paymentMethod);
            services.AddSingleton<IWidgetPlugin>(paymentMethod);
            services.AddSingleton(paymentPlugins.Object);
            services.AddSingleton<IKlarnaCheckoutSessionService>(_checkout.SessionService(client));
            services.AddSingleton(checkoutService);
            services.AddSingleton<ILocalizationService>(_checkout.Localization.Object);
            services.AddSingleton<ISettingService>(_checkout.SettingService.Object);
            services.AddSingleton<IStoreContext>(_checkout.StoreContext.Object);
            services.AddSingleton<IWebHelper>(_checkout.WebHelper.Object);
            services.AddSingleton<IWorkContext>(_checkout.WorkContext.Object);
        });
    }

    private async Task WaitForWidgetAsync(IPage page, IEnumerable<string> problems)
    {
        try
        {
            await page.WaitForSelectorAsync("#klarna-payments-container .klarna-sandbox-widget", new PageWaitForSelectorOptions { Timeout = 15_000 });
        }
        catch (TimeoutException)
        {
            Assert.Fail("Klarna's widget did not load. Page problems: " + string.Join("; ", problems) + ". Server errors: "
                + string.Join("; ", _shop.State.ServerErrors) + ". Payment info: " + await page.InnerHTMLAsync("body"));
        }
    }

    private int LibraryRequests(IEnumerable<string> requests) =>
        requests.Count(url => url.StartsWith(_sandbox.BaseUri + "kp/lib/v1/api.js", StringComparison.Ordinal));

    /// <summary>
    /// The order nopCommerce placed: Klarna authorized it for the cart's amount
    /// </summary>
    private void AssertOnePlacedKlarnaOrder(ConcurrentQueue<string> problems)
    {
        Assert.That(_shop.State.ServerErrors.Select(e => e.ToString()), Is.Empty);
        Assert.That(problems, Is.Empty);
        Assert.That(_shop.State.PlacedOrders, Has.Count.EqualTo(1));
        var (_, result) = _shop.State.PlacedOrders.Single();
        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.NewPaymentStatus, Is.EqualTo(PaymentStatus.Authorized));
        var order = _sandbox.State.GetOrder(result.AuthorizationTransactionId);
        Assert.That(order.Status, Is.EqualTo("AUTHORIZED"));
        Assert.That(order.OrderAmount, Is.EqualTo(62400));
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task One_page_checkout_loads_the_widget_into_the_ajax_inserted_step_authorizes_and_places_the_order(bool bundleJavaScript)
    {
        // Arrange
        await StartShopAsync(bundleJavaScript);
        var (page, problems, requests) = await _chromium.OpenPageAsync();
        await page.GotoAsync(_shop.BaseUrl + "/onepagecheckout");

        // Act: payment method Klarna, Continue: the payment info step arrives as HTML in a JSON answer
        await page.ClickAsync(".payment-method-next-step-button");
        await WaitForWidgetAsync(page, problems);

        // the customer goes back to the payment methods and on again: the step is inserted anew, the widget follows it
        await page.EvaluateAsync("() => window.firstStep = document.getElementById('klarna-payment-info')");
        await page.ClickAsync("#payment-info-buttons-container .back-link a");
        await page.ClickAsync(".payment-method-next-step-button");
        await page.WaitForFunctionAsync(@"() => {
            const step = document.getElementById('klarna-payment-info');
            return step && step !== window.firstStep && document.querySelectorAll('#klarna-payment-info').length === 1
                && !!step.querySelector('#klarna-payments-container .klarna-sandbox-widget');
        }");
        Assert.That(_shop.State.PaymentInfoAnswers, Has.Count.EqualTo(2));

        // Continue authorizes with Klarna, then nopCommerce saves the step; Confirm places the order
        await page.ClickAsync(".payment-info-next-step-button");
        await page.WaitForSelectorAsync("#opc-confirm_order.active", new PageWaitForSelectorOptions { Timeout = 15_000 });
        await page.ClickAsync(".confirm-order-next-step-button");
        await page.WaitForURLAsync("**/checkout/completed");

        // Assert: Klarna's library came from its own origin, once; the step's AJAX answer carried no script to run
        AssertOnePlacedKlarnaOrder(problems);
        Assert.That(LibraryRequests(requests), Is.EqualTo(1));
        Assert.That(_shop.State.PaymentInfoAnswers, Has.All.Not.Contain("<script"));
        Assert.That(requests.Count(url => url.Contains("/_sandbox/sessions/", StringComparison.Ordinal) && url.EndsWith("/authorize", StringComparison.Ordinal)), Is.EqualTo(1));
    }

    [Test]
    public async Task One_page_checkout_keeps_the_customer_on_the_step_with_a_message_when_klarna_declines()
    {
        // Arrange
        await StartShopAsync(true);
        var (page, problems, _) = await _chromium.OpenPageAsync();
        await page.AddInitScriptAsync("window.KlarnaSandbox = { decline: true };");
        await page.GotoAsync(_shop.BaseUrl + "/onepagecheckout");
        await page.ClickAsync(".payment-method-next-step-button");
        await WaitForWidgetAsync(page, problems);

        // Act
        await page.ClickAsync(".payment-info-next-step-button");
        await page.WaitForSelectorAsync("#klarna-message", new PageWaitForSelectorOptions { State = WaitForSelectorState.Visible });

        // Assert: nothing was posted to nopCommerce, no order
        Assert.That(await page.TextContentAsync("#klarna-message"), Is.EqualTo("Klarna declined the payment. Please choose another payment method."));
        Assert.That(await page.InputValueAsync("#klarna_authorization_token"), Is.Empty);
        Assert.That(await page.IsVisibleAsync("#opc-payment_info .step"), Is.True);
        Assert.That(_shop.State.PaymentRequest, Is.Null);
        Assert.That(_shop.State.PlacedOrders, Is.Empty);
        Assert.That(problems, Is.Empty);
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Multi_step_checkout_loads_the_widget_on_the_payment_info_page_authorizes_and_places_the_order(bool bundleJavaScript)
    {
        // Arrange
        await StartShopAsync(bundleJavaScript);
        var (page, problems, requests) = await _chromium.OpenPageAsync();
        await page.GotoAsync(_shop.BaseUrl + "/checkout/paymentinfo");
        await WaitForWidgetAsync(page, problems);

        // Act: "Next" authorizes with Klarna, then the form is posted; Confirm places the order
        await page.ClickAsync(".payment-info-next-step-button");
        await page.WaitForURLAsync("**/checkout/confirm", new PageWaitForURLOptions { Timeout = 15_000 });
        await page.ClickAsync(".confirm-order-next-step-button");
        await page.WaitForURLAsync("**/checkout/completed");

        // Assert
        AssertOnePlacedKlarnaOrder(problems);
        Assert.That(LibraryRequests(requests), Is.EqualTo(1));
    }
}
