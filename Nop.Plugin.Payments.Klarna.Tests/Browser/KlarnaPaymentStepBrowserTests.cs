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
using Nop.Services.Common;
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

        // nopCommerce keeps the checkout's payment request for the customer: the stand-in shop's
        _checkout.OrderProcessing.Setup(o => o.GetProcessPaymentRequestAsync()).ReturnsAsync(() => _shop.State.PaymentRequest);
        _checkout.OrderProcessing.Setup(o => o.SetProcessPaymentRequestAsync(It.IsAny<ProcessPaymentRequest>(), It.IsAny<bool>()))
            .Callback((ProcessPaymentRequest request, bool _) => _shop.State.PaymentRequest = request).Returns(Task.CompletedTask);
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
            services.AddSingleton<IKlarnaCheckoutService>(checkoutService);
            services.AddSingleton<IKlarnaCheckoutAttemptSettler>(_checkout.Settler(client));
            services.AddSingleton<ILocalizationService>(_checkout.Localization.Object);
            services.AddSingleton<ISettingService>(_checkout.SettingService.Object);
            services.AddSingleton<IStoreContext>(_checkout.StoreContext.Object);
            services.AddSingleton<IWebHelper>(_checkout.WebHelper.Object);
            services.AddSingleton<IWorkContext>(_checkout.WorkContext.Object);
            services.AddSingleton<IGenericAttributeService>(_checkout.GenericAttributes.Object);
        });
    }

    /// <summary>
    /// The multi-step checkout from its payment method page: the customer chooses the payment method, "Next" opens its
    /// payment info page
    /// </summary>
    private async Task OpenMultiStepPaymentInfoAsync(IPage page, string paymentMethod = null)
    {
        paymentMethod ??= KlarnaDefaults.SystemName;
        await page.GotoAsync(_shop.BaseUrl + "/checkout/paymentmethod");
        await page.CheckAsync($"input[name='paymentmethod'][value='{paymentMethod}']");
        await page.ClickAsync(".payment-method-next-step-button");
        await page.WaitForURLAsync("**/checkout/paymentinfo");
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
        await OpenMultiStepPaymentInfoAsync(page);
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

    [Test]
    public async Task Multi_step_payment_info_page_of_another_payment_method_loads_nothing_of_klarna_and_klarnas_page_loads_it_once()
    {
        // Arrange
        await StartShopAsync(true);
        var (page, problems, requests) = await _chromium.OpenPageAsync();

        // Act 1: the customer chose another payment method: its payment info page
        await OpenMultiStepPaymentInfoAsync(page, CheckoutController.OtherPaymentMethod);
        await page.WaitForSelectorAsync("#CardNumber");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var libraryOnOtherPage = LibraryRequests(requests);
        var scriptOnOtherPage = await page.EvaluateAsync<int>("() => document.querySelectorAll('script[src*=\"klarna\"]').length");
        var sessionsOnOtherPage = _sandbox.State.Requests.Count(r => r.Path == "/payments/v1/sessions");

        // Act 2: back to the payment method page, Klarna this time
        await OpenMultiStepPaymentInfoAsync(page);
        await WaitForWidgetAsync(page, problems);

        // Assert
        Assert.That((libraryOnOtherPage, scriptOnOtherPage, sessionsOnOtherPage), Is.EqualTo((0, 0, 0)), "nothing of Klarna on another method's page");
        Assert.That(LibraryRequests(requests), Is.EqualTo(1), "Klarna's page loads the library");
        Assert.That(_checkout.Attributes[Nop.Core.Domain.Customers.NopCustomerDefaults.SelectedPaymentMethodAttribute], Is.EqualTo(KlarnaDefaults.SystemName));
        Assert.That(_shop.State.ServerErrors.Select(e => e.ToString()), Is.Empty);
        Assert.That(problems, Is.Empty);
    }

    private int SandboxCalls(IEnumerable<string> requests, string action) =>
        requests.Count(url => url.Contains("/_sandbox/sessions/", StringComparison.Ordinal) && url.EndsWith("/" + action, StringComparison.Ordinal));

    /// <summary>
    /// The Klarna order carries the addresses the browser passed (the same as create order sent)
    /// </summary>
    private void AssertTheOrderHasTheCustomersAddresses()
    {
        var order = _sandbox.State.GetOrder(_shop.State.PlacedOrders.Single().Result.AuthorizationTransactionId);
        Assert.That((order.BillingAddress.GivenName, order.BillingAddress.Email, order.ShippingAddress.GivenName), Is.EqualTo(("Erika", "erika@example.com", "Max")));
    }

    [Test]
    public async Task Multi_step_checkout_with_a_pay_now_category_authorizes_on_the_payment_step_and_finalizes_when_the_customer_confirms()
    {
        // Arrange
        await StartShopAsync(true);
        var (page, problems, requests) = await _chromium.OpenPageAsync();
        await OpenMultiStepPaymentInfoAsync(page);
        await WaitForWidgetAsync(page, problems);
        await page.CheckAsync("input[name='klarna_category_choice'][value='pay_now']");

        // Act: Next authorizes with auto_finalize:false: Klarna asks for finalize(), no token yet
        await page.ClickAsync(".payment-info-next-step-button");
        await page.WaitForURLAsync("**/checkout/confirm", new PageWaitForURLOptions { Timeout = 15_000 });
        var afterPaymentStep = _shop.State.PaymentRequest.CustomValues.ToDictionary(v => v.Name, v => v.Value);
        await page.WaitForSelectorAsync("#klarna-confirm-order[data-client-token]", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });

        // the customer confirms: finalize(), the token is posted to the shop, then nopCommerce places the order
        await page.ClickAsync(".confirm-order-next-step-button");
        await page.WaitForURLAsync("**/checkout/completed", new PageWaitForURLOptions { Timeout = 15_000 });

        // Assert
        Assert.That(afterPaymentStep[KlarnaDefaults.Checkout.AuthorizationTokenCustomValue], Is.Empty);
        Assert.That(afterPaymentStep[KlarnaDefaults.Checkout.FinalizeRequiredCustomValue], Is.EqualTo("true"));
        Assert.That(afterPaymentStep[KlarnaDefaults.Checkout.CategoryCustomValue], Is.EqualTo("pay_now"));
        AssertOnePlacedKlarnaOrder(problems);
        AssertTheOrderHasTheCustomersAddresses();
        Assert.That((SandboxCalls(requests, "authorize"), SandboxCalls(requests, "finalize")), Is.EqualTo((1, 1)));
        Assert.That(LibraryRequests(requests), Is.EqualTo(2), "once on the payment step, once on the confirm page");
    }

    [Test]
    public async Task One_page_checkout_with_a_pay_now_category_finalizes_in_the_confirm_step_before_the_order_is_placed()
    {
        // Arrange
        await StartShopAsync(true);
        var (page, problems, requests) = await _chromium.OpenPageAsync();
        await page.GotoAsync(_shop.BaseUrl + "/onepagecheckout");
        await page.ClickAsync(".payment-method-next-step-button");
        await WaitForWidgetAsync(page, problems);
        await page.CheckAsync("input[name='klarna_category_choice'][value='pay_now']");

        // Act
        await page.ClickAsync(".payment-info-next-step-button");
        await page.WaitForSelectorAsync("#opc-confirm_order.active #klarna-confirm-order[data-client-token]",
            new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached, Timeout = 15_000 });
        Assert.That(SandboxCalls(requests, "finalize"), Is.Zero);
        await page.ClickAsync(".confirm-order-next-step-button");
        await page.WaitForURLAsync("**/checkout/completed", new PageWaitForURLOptions { Timeout = 15_000 });

        // Assert
        AssertOnePlacedKlarnaOrder(problems);
        AssertTheOrderHasTheCustomersAddresses();
        Assert.That((SandboxCalls(requests, "authorize"), SandboxCalls(requests, "finalize")), Is.EqualTo((1, 1)));
    }

    [Test]
    public async Task A_pay_later_authorization_needs_no_finalize_and_the_confirm_step_shows_nothing_of_klarna()
    {
        // Arrange
        await StartShopAsync(false);
        var (page, problems, requests) = await _chromium.OpenPageAsync();
        await OpenMultiStepPaymentInfoAsync(page);
        await WaitForWidgetAsync(page, problems);
        await page.CheckAsync("input[name='klarna_category_choice'][value='pay_later']");

        // Act
        await page.ClickAsync(".payment-info-next-step-button");
        await page.WaitForURLAsync("**/checkout/confirm", new PageWaitForURLOptions { Timeout = 15_000 });
        var marker = await page.QuerySelectorAsync("#klarna-confirm-order");
        await page.ClickAsync(".confirm-order-next-step-button");
        await page.WaitForURLAsync("**/checkout/completed", new PageWaitForURLOptions { Timeout = 15_000 });

        // Assert
        Assert.That(marker, Is.Null);
        AssertOnePlacedKlarnaOrder(problems);
        AssertTheOrderHasTheCustomersAddresses();
        Assert.That(SandboxCalls(requests, "finalize"), Is.Zero);
    }

    [Test]
    public async Task A_declined_finalize_keeps_the_customer_on_the_confirm_page_with_a_message_and_places_no_order()
    {
        // Arrange
        await StartShopAsync(true);
        var (page, problems, _) = await _chromium.OpenPageAsync();
        await OpenMultiStepPaymentInfoAsync(page);
        await WaitForWidgetAsync(page, problems);
        await page.CheckAsync("input[name='klarna_category_choice'][value='pay_now']");
        await page.ClickAsync(".payment-info-next-step-button");
        await page.WaitForURLAsync("**/checkout/confirm", new PageWaitForURLOptions { Timeout = 15_000 });

        // Act: Klarna declines at finalize
        await page.EvaluateAsync("() => window.KlarnaSandbox = { decline: true }");
        await page.ClickAsync(".confirm-order-next-step-button");
        await page.WaitForSelectorAsync("#klarna-confirm-message", new PageWaitForSelectorOptions { State = WaitForSelectorState.Visible });

        // Assert
        Assert.That(await page.TextContentAsync("#klarna-confirm-message"), Is.EqualTo("Klarna declined the payment. Please choose another payment method."));
        Assert.That(page.Url, Does.EndWith("/checkout/confirm"));
        Assert.That(_shop.State.PlacedOrders, Is.Empty);
        Assert.That(_sandbox.State.GetOrders(), Is.Empty);
    }
}
