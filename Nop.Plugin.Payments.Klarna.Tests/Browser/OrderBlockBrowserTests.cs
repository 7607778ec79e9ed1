using Microsoft.Playwright;
using Newtonsoft.Json.Linq;
using NUnit.Framework;
using Nop.Plugin.Payments.Klarna.Models.Admin;
using Nop.Plugin.Payments.Klarna.Tests.Browser.Support;
using Nop.Plugin.Payments.Klarna.Tests.Support;

namespace Nop.Plugin.Payments.Klarna.Tests.Browser;

/// <summary>
/// The order block's modals in headless Chromium (Debian's /usr/bin/chromium driven by Playwright): the plugin's real markup
/// and script against stubbed endpoints. Screenshots go to docs/screenshots for the README.
/// </summary>
[TestFixture]
[NonParallelizable]
public class OrderBlockBrowserTests
{
    private const string ChromiumPath = "/usr/bin/chromium";

    private OrderBlockHarness _harness;
    private IPlaywright _playwright;
    private IBrowser _browser;
    private IPage _page;

    /// <summary>
    /// Screenshots go to the test output; with KLARNA_UPDATE_SCREENSHOTS=1 they replace the README's docs/screenshots
    /// </summary>
    private static string ScreenshotPath(string name)
    {
        var dir = Environment.GetEnvironmentVariable("KLARNA_UPDATE_SCREENSHOTS") == "1"
            ? Path.Combine(RazorViewCompiler.RepositoryRoot, "docs", "screenshots")
            : Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }

    /// <summary>
    /// A partly captured order: 1 of 2 shirts captured, mug (3, with a 3.00 discount) and shipping still open, one failed capture
    /// </summary>
    public static KlarnaOrderDetailsModel PartlyCapturedOrder() => new()
    {
        Id = 42,
        KlarnaOrderId = "f3a1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b",
        KlarnaReference = "K4Z7Q2X9",
        MerchantPortalUrl = "https://portal.playground.klarna.com/orders/merchants/M12345/orders/f3a1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b",
        KlarnaStatus = "PART_CAPTURED",
        FraudStatus = "ACCEPTED",
        Environment = "Playground (test)",
        IsPlayground = true,
        CurrencyCode = "EUR",
        CurrencyExponent = 2,
        OrderAmount = "81.90 EUR",
        CapturedAmount = "25.00 EUR",
        RefundedAmount = "0.00 EUR",
        RemainingAuthorizedAmount = "56.90 EUR",
        RefundableAmount = "25.00 EUR",
        RemainingAuthorizedAmountMinor = 5690,
        RefundableAmountMinor = 2500,
        InitialPaymentMethod = "Pay later in 30 days",
        ExpiresOn = "12/24/2026 10:15 AM",
        ExpiresSoon = true,
        CanCapture = true,
        CanRelease = true,
        CanRefund = true,
        CanManage = true,
        HasCapturableLines = true,
        HasRefundableLines = true,
        CaptureUrl = "/stub/capture",
        RefundUrl = "/stub/refund",
        CancelUrl = "/stub/cancel",
        ReleaseUrl = "/stub/release",
        RefreshUrl = "/block",
        Lines = new List<KlarnaLineRowModel>
        {
            new() { Reference = "SKU-SHIRT", Name = "Organic cotton shirt", Type = "physical", Quantity = 2, UnitPrice = "25.00 EUR", UnitPriceMinor = 2500,
                TotalAmountMinor = 5000, TotalAmount = "50.00 EUR", CapturedQuantity = 1, CapturableQuantity = 1, RefundableQuantity = 1,
                CapturableAmountMinor = 2500, RefundableAmountMinor = 2500 },
            new() { Reference = "SKU-MUG", Name = "Enamel mug <blue>", Type = "physical", Quantity = 3, UnitPrice = "10.00 EUR", UnitPriceMinor = 1000,
                TotalDiscountAmountMinor = 300, TotalAmountMinor = 2700, TotalAmount = "27.00 EUR", CapturableQuantity = 3, CapturableAmountMinor = 2700 },
            new() { Reference = "SHIPPING", Name = "Standard shipping", Type = "shipping_fee", Quantity = 1, UnitPrice = "4.90 EUR", UnitPriceMinor = 490,
                TotalAmountMinor = 490, TotalAmount = "4.90 EUR", CapturableQuantity = 1, CapturableAmountMinor = 490 }
        },
        Captures = new List<KlarnaCaptureRowModel>
        {
            new() { CaptureId = "cap-1", CapturedOn = "11/26/2026 9:30 AM", Amount = "25.00 EUR", Lines = new List<string> { "1 x Organic cotton shirt" },
                Tracking = new List<string> { "DHL Paket 00340434161094042557" } }
        },
        Operations = new List<KlarnaOperationRowModel>
        {
            new() { Kind = "Capture", Status = "Failed", IsFailed = true, CreatedOn = "11/26/2026 9:12 AM", Amount = "81.90 EUR", Initiator = "admin@shop.example",
                ErrorCode = "CAPTURE_NOT_ALLOWED", ErrorMessage = "Capture amount exceeds remaining authorized amount.", CorrelationId = "5c8e1d7a-1f0b-4a55-9d3c-6b2f3e4a5d6c" }
        }
    };

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        Assert.That(File.Exists(ChromiumPath), Is.True, "Debian's chromium is required (apt-get install -y chromium; .ci/run installs it)");
        _harness = await OrderBlockHarness.StartAsync();
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
        if (_browser != null)
            await _browser.CloseAsync();
        _playwright?.Dispose();
        if (_harness != null)
            await _harness.DisposeAsync();
    }

    [SetUp]
    public async Task OpenPage()
    {
        _harness.State.Model = PartlyCapturedOrder();
        _harness.State.ModelAfterSuccess = null;
        _harness.State.Answer = _ => (200, new { success = true });
        while (_harness.State.Requests.TryDequeue(out _)) { }
        _page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 900 } });
        var errors = new List<string>();
        _page.PageError += (_, error) => errors.Add(error);
        var response = await _page.GotoAsync(_harness.BaseUrl + "/order");
        if (response?.Ok != true)
        {
            using var client = new HttpClient();
            Assert.Fail("The harness page failed: " + await client.GetStringAsync(_harness.BaseUrl + "/block").ContinueWith(t => t.IsFaulted ? t.Exception!.ToString() : t.Result));
        }
        await _page.WaitForFunctionAsync("() => window.KlarnaAdmin && document.querySelector('#klarna-capture-modal').parentElement === document.body");
        Assert.That(errors, Is.Empty);
    }

    [TearDown]
    public async Task ClosePage()
    {
        await _page.CloseAsync();
    }

    private ILocator Capture => _page.Locator("#klarna-capture-modal");
    private ILocator Refund => _page.Locator("#klarna-refund-modal");
    private ILocator Confirm => _page.Locator("#klarna-confirm-modal");

    private async Task OpenAsync(string action, ILocator modal)
    {
        await _page.Locator($"#klarna-order-block [data-klarna-action='{action}']").ClickAsync();
        await modal.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        await _page.WaitForTimeoutAsync(400); // Bootstrap's fade
    }

    private static ILocator Line(ILocator modal, string reference) => modal.Locator($"tr.klarna-line[data-reference='{reference}']");

    [Test]
    public async Task Block_shows_Klarnas_data_and_only_the_allowed_buttons()
    {
        var block = _page.Locator("#klarna-order-block");

        Assert.That(await block.Locator(".klarna-portal-link").GetAttributeAsync("href"), Is.EqualTo(PartlyCapturedOrder().MerchantPortalUrl));
        Assert.That(await block.Locator(".klarna-status").TextContentAsync(), Is.EqualTo("PART_CAPTURED"));
        Assert.That(await block.Locator(".klarna-amount-remaining").TextContentAsync(), Is.EqualTo("56.90 EUR"));
        Assert.That(await block.Locator(".klarna-expires-soon").IsVisibleAsync(), Is.True);
        Assert.That(await block.Locator("[data-klarna-action]").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.klarnaAction)"),
            Is.EqualTo(new[] { "capture-payment", "capture-order", "release", "refund" }));
        Assert.That(await block.Locator(".klarna-operations").TextContentAsync(), Does.Contain("CAPTURE_NOT_ALLOWED").And.Contain("5c8e1d7a-1f0b-4a55-9d3c-6b2f3e4a5d6c"));
        Assert.That(await _page.Locator("#order-form input:not([type=hidden])[name]").CountAsync(), Is.Zero, "no named input posts with the order form");
        Assert.That(await _page.Locator("#order-form form").CountAsync(), Is.Zero, "no nested form");

        await block.ScreenshotAsync(new LocatorScreenshotOptions { Path = ScreenshotPath("klarna-order-block.png") });
    }

    [Test]
    public async Task Capture_modal_shows_the_amount_of_the_selected_lines_and_quantities_on_the_button()
    {
        await OpenAsync("capture-order", Capture);
        var submit = Capture.Locator(".klarna-submit");
        Assert.That(await submit.IsDisabledAsync(), Is.True, "nothing selected");
        Assert.That(await Capture.Locator("tr.klarna-line td:nth-child(2)").First.TextContentAsync(), Does.Contain("Organic cotton shirt"));
        Assert.That(await Line(Capture, "SKU-MUG").TextContentAsync(), Does.Contain("Enamel mug <blue>"), "Klarna text is encoded, not markup");

        await Line(Capture, "SKU-SHIRT").Locator(".klarna-line-check").CheckAsync();
        Assert.That(await Capture.Locator(".klarna-submit-amount").TextContentAsync(), Is.EqualTo("25.00 EUR"));
        Assert.That(await submit.IsEnabledAsync(), Is.True);

        await Line(Capture, "SKU-MUG").Locator(".klarna-line-check").CheckAsync();
        Assert.That(await Capture.Locator(".klarna-submit-amount").TextContentAsync(), Is.EqualTo("52.00 EUR"), "25.00 + all 3 mugs (27.00)");

        await Line(Capture, "SKU-MUG").Locator(".klarna-line-quantity").FillAsync("2");
        Assert.That(await Capture.Locator(".klarna-submit-amount").TextContentAsync(), Is.EqualTo("43.00 EUR"), "2 x 10.00 - 2/3 of the 3.00 discount");
        await Capture.ScreenshotAsync(new LocatorScreenshotOptions { Path = ScreenshotPath("klarna-capture-modal.png") });

        await Line(Capture, "SKU-MUG").Locator(".klarna-line-quantity").FillAsync("4");
        Assert.That(await submit.IsDisabledAsync(), Is.True, "more than capturable");

        await Line(Capture, "SKU-MUG").Locator(".klarna-line-check").UncheckAsync();
        await Line(Capture, "SKU-SHIRT").Locator(".klarna-line-check").UncheckAsync();
        Assert.That(await submit.IsDisabledAsync(), Is.True);
        Assert.That(await Capture.Locator(".klarna-submit-amount").TextContentAsync(), Is.Empty);
    }

    [Test]
    public async Task Capture_amount_mode_disables_the_button_above_the_remaining_amount_and_for_invalid_text()
    {
        await OpenAsync("capture-order", Capture);
        await Capture.Locator(".klarna-switch-to-amount").ClickAsync();
        var input = Capture.Locator(".klarna-amount-input");
        var submit = Capture.Locator(".klarna-submit");
        Assert.That(await input.IsVisibleAsync(), Is.True);
        Assert.That(await Capture.Locator(".klarna-lines").IsVisibleAsync(), Is.False);

        await input.FillAsync("56.90");
        Assert.That(await submit.IsEnabledAsync(), Is.True);
        Assert.That(await Capture.Locator(".klarna-submit-amount").TextContentAsync(), Is.EqualTo("56.90 EUR"));

        foreach (var invalid in new[] { "56.91", "1.234,56", "-5", "0", "12.345", "abc" })
        {
            await input.FillAsync(invalid);
            Assert.That(await submit.IsDisabledAsync(), Is.True, invalid);
        }

        await input.FillAsync("99.00");
        Assert.That(await Capture.Locator(".klarna-amount-feedback").TextContentAsync(), Is.EqualTo("The amount is higher than what is left."));
        await Capture.ScreenshotAsync(new LocatorScreenshotOptions { Path = ScreenshotPath("klarna-capture-amount-over-limit.png") });

        await input.FillAsync("10.5");
        Assert.That(await submit.IsEnabledAsync(), Is.True);
        Assert.That(await Capture.Locator(".klarna-submit-amount").TextContentAsync(), Is.EqualTo("10.50 EUR"));
    }

    [Test]
    public async Task Capture_by_amount_posts_the_antiforgery_token_and_an_idempotency_key_then_refreshes_the_block()
    {
        var after = PartlyCapturedOrder();
        after.KlarnaStatus = "CAPTURED_BY_TEST";
        _harness.State.ModelAfterSuccess = after;

        await OpenAsync("capture-order", Capture);
        await Capture.Locator(".klarna-switch-to-amount").ClickAsync();
        await Capture.Locator(".klarna-amount-input").FillAsync("10.50");
        await Capture.Locator(".klarna-description").FillAsync("Second parcel");
        await Capture.Locator(".klarna-submit").ClickAsync();

        await _page.Locator("#klarna-order-block .klarna-status", new PageLocatorOptions { HasTextString = "CAPTURED_BY_TEST" })
            .WaitForAsync(new LocatorWaitForOptions { Timeout = 10_000 });
        Assert.That(await Capture.IsVisibleAsync(), Is.False);

        Assert.That(_harness.State.Requests.TryDequeue(out var request), Is.True);
        Assert.That(request.Action, Is.EqualTo("capture"));
        Assert.That(request.Form["__RequestVerificationToken"], Is.EqualTo(OrderBlockHarness.AntiforgeryToken));
        Assert.That(request.Headers["RequestVerificationToken"], Is.EqualTo(OrderBlockHarness.AntiforgeryToken));
        Assert.That(request.Headers["X-Requested-With"], Is.EqualTo("XMLHttpRequest"));
        Assert.That(request.Form["orderId"], Is.EqualTo("42"));
        Assert.That(request.Form["mode"], Is.EqualTo("amount"));
        Assert.That(request.Form["amount"], Is.EqualTo("10.50"));
        Assert.That(request.Form["description"], Is.EqualTo("Second parcel"));
        Assert.That(Guid.TryParse(request.Form["idempotencyKey"], out _), Is.True);

        // the refreshed block works again (new modals, new idempotency key)
        await OpenAsync("capture-order", Capture);
        await Line(Capture, "SHIPPING").Locator(".klarna-line-check").CheckAsync();
        await Capture.Locator(".klarna-submit").ClickAsync();
        await Capture.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Hidden, Timeout = 10_000 });
        Assert.That(_harness.State.Requests.TryDequeue(out var second), Is.True);
        Assert.That(second.Form["mode"], Is.EqualTo("lines"));
        Assert.That(JArray.Parse(second.Form["linesJson"]).ToString(Newtonsoft.Json.Formatting.None), Is.EqualTo("[{\"reference\":\"SHIPPING\",\"quantity\":1}]"));
        Assert.That(second.Form["idempotencyKey"], Is.Not.EqualTo(request.Form["idempotencyKey"]));
    }

    [Test]
    public async Task A_Klarna_refusal_shows_its_error_code_message_and_correlation_id_in_the_modal_and_a_retry_reuses_the_key()
    {
        _harness.State.Answer = _ => (409, new
        {
            success = false,
            error = "Captured amount is higher than the remaining authorized amount.",
            errorCode = "CAPTURE_NOT_ALLOWED",
            correlationId = "b6f0e2c1-8d7a-4e3b-9c5d-1a2b3c4d5e6f"
        });

        await OpenAsync("capture-order", Capture);
        await Line(Capture, "SKU-SHIRT").Locator(".klarna-line-check").CheckAsync();
        await Capture.Locator(".klarna-submit").ClickAsync();
        var error = Capture.Locator(".klarna-modal-error");
        await error.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });

        Assert.That(await error.Locator(".klarna-error-message").TextContentAsync(), Is.EqualTo("Captured amount is higher than the remaining authorized amount."));
        Assert.That(await error.Locator(".klarna-error-code").TextContentAsync(), Is.EqualTo("CAPTURE_NOT_ALLOWED"));
        Assert.That(await error.Locator(".klarna-error-correlation").TextContentAsync(), Is.EqualTo("b6f0e2c1-8d7a-4e3b-9c5d-1a2b3c4d5e6f"));
        Assert.That(await Capture.IsVisibleAsync(), Is.True, "the modal stays open");
        await Capture.ScreenshotAsync(new LocatorScreenshotOptions { Path = ScreenshotPath("klarna-capture-error.png") });

        await Capture.Locator(".klarna-submit").ClickAsync();
        await _page.WaitForTimeoutAsync(300);
        var requests = _harness.State.Requests.ToArray();
        Assert.That(requests, Has.Length.EqualTo(2));
        Assert.That(requests[1].Form["idempotencyKey"], Is.EqualTo(requests[0].Form["idempotencyKey"]), "same click, same key");
    }

    [Test]
    public async Task A_nopCommerce_permission_denial_is_shown_in_the_modal()
    {
        _harness.State.Answer = _ => (200, new { error = "You do not have permission to perform the selected operation" });

        await OpenAsync("refund", Refund);
        await Line(Refund, "SKU-SHIRT").Locator(".klarna-line-check").CheckAsync();
        await Refund.Locator(".klarna-submit").ClickAsync();
        var error = Refund.Locator(".klarna-modal-error");
        await error.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });

        Assert.That(await error.Locator(".klarna-error-message").TextContentAsync(), Is.EqualTo("You do not have permission to perform the selected operation"));
        Assert.That(await error.Locator(".klarna-error-code-row").IsVisibleAsync(), Is.False);
    }

    [Test]
    public async Task Refund_modal_refunds_by_lines_or_by_amount_within_what_was_captured()
    {
        await OpenAsync("refund", Refund);
        Assert.That(await Refund.Locator("tr.klarna-line").CountAsync(), Is.EqualTo(1), "only captured lines");
        await Line(Refund, "SKU-SHIRT").Locator(".klarna-line-check").CheckAsync();
        await Refund.Locator(".klarna-description").FillAsync("Returned: wrong size");
        Assert.That(await Refund.Locator(".klarna-submit-amount").TextContentAsync(), Is.EqualTo("25.00 EUR"));
        await Refund.ScreenshotAsync(new LocatorScreenshotOptions { Path = ScreenshotPath("klarna-refund-modal.png") });

        await Refund.Locator(".klarna-switch-to-amount").ClickAsync();
        await Refund.Locator(".klarna-amount-input").FillAsync("25.01");
        Assert.That(await Refund.Locator(".klarna-submit").IsDisabledAsync(), Is.True);
        await Refund.Locator(".klarna-amount-input").FillAsync("5");
        await Refund.Locator(".klarna-submit").ClickAsync();
        await Refund.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Hidden, Timeout = 10_000 });

        Assert.That(_harness.State.Requests.TryDequeue(out var request), Is.True);
        Assert.That(request.Action, Is.EqualTo("refund"));
        Assert.That(request.Form["mode"], Is.EqualTo("amount"));
        Assert.That(request.Form["amount"], Is.EqualTo("5"));
        Assert.That(request.Form["description"], Is.EqualTo("Returned: wrong size"));
    }

    [Test]
    public async Task Capture_payment_asks_for_confirmation_then_captures_everything()
    {
        await OpenAsync("capture-payment", Confirm);
        Assert.That(await Confirm.Locator(".klarna-confirm-text").TextContentAsync(), Is.EqualTo("Capture the whole remaining amount (56.90 EUR) now?"));
        Assert.That(_harness.State.Requests, Is.Empty, "nothing before the confirmation");
        await Confirm.ScreenshotAsync(new LocatorScreenshotOptions { Path = ScreenshotPath("klarna-confirm-capture.png") });

        await Confirm.Locator(".klarna-submit").ClickAsync();
        await Confirm.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Hidden, Timeout = 10_000 });

        Assert.That(_harness.State.Requests.TryDequeue(out var request), Is.True);
        Assert.That(request.Action, Is.EqualTo("capture"));
        Assert.That(request.Form["mode"], Is.EqualTo("full"));
    }

    [Test]
    public async Task Release_and_cancel_post_to_their_own_actions()
    {
        await OpenAsync("release", Confirm);
        await Confirm.Locator(".klarna-submit").ClickAsync();
        await Confirm.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Hidden, Timeout = 10_000 });
        Assert.That(_harness.State.Requests.TryDequeue(out var release), Is.True);
        Assert.That(release.Action, Is.EqualTo("release"));

        var authorized = PartlyCapturedOrder();
        authorized.CanCancel = true;
        authorized.CanRelease = false;
        authorized.CanRefund = false;
        _harness.State.Model = authorized;
        await _page.ReloadAsync();
        await _page.WaitForFunctionAsync("() => window.KlarnaAdmin && document.querySelector('#klarna-confirm-modal').parentElement === document.body");
        await OpenAsync("cancel", Confirm);
        await Confirm.Locator(".klarna-submit").ClickAsync();
        await Confirm.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Hidden, Timeout = 10_000 });
        Assert.That(_harness.State.Requests.TryDequeue(out var cancel), Is.True);
        Assert.That(cancel.Action, Is.EqualTo("cancel"));
    }
}
