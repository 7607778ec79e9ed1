using System.Globalization;
using Microsoft.Playwright;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using NUnit.Framework;
using Nop.Plugin.Payments.Klarna.Factories;
using Nop.Plugin.Payments.Klarna.Localization;
using Nop.Plugin.Payments.Klarna.Models.Admin;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Tests.Browser.Support;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using Nop.Plugin.Payments.Klarna.Validators;

namespace Nop.Plugin.Payments.Klarna.Tests.Browser;

/// <summary>
/// The order block's modals in headless Chromium (Debian's /usr/bin/chromium driven by Playwright): the plugin's real markup
/// and script against stubbed endpoints, in the admin's language and culture: amounts written as nopCommerce's price
/// formatter writes them for the order's currency (amount.ToString("C", the currency's display locale)), typed amounts read
/// in the admin's culture. Screenshots (en-US) go to docs/screenshots for the README.
/// </summary>
[NonParallelizable]
public abstract class OrderBlockBrowserTestsBase
{
    private const string ChromiumPath = "/usr/bin/chromium";

    private OrderBlockHarness _harness;
    private IPlaywright _playwright;
    private IBrowser _browser;
    private IPage _page;

    /// <param name="cultureName">The admin's working culture (and the display locale of the order's currency)</param>
    /// <param name="currency">The order's currency</param>
    /// <param name="resources">The admin language's resources (null: English)</param>
    protected OrderBlockBrowserTestsBase(string cultureName, string currency, IDictionary<string, string> resources)
    {
        Culture = CultureInfo.GetCultureInfo(cultureName);
        Currency = currency;
        Resources = resources;
    }

    protected CultureInfo Culture { get; }
    protected string Currency { get; }
    protected IDictionary<string, string> Resources { get; }
    protected IPage Page => _page;
    protected OrderBlockHarness Harness => _harness;

    /// <summary>
    /// Gets a text of the admin's language, formatted like nopCommerce's T()
    /// </summary>
    protected string Text(string key, params object[] args)
    {
        var value = (Resources is not null && Resources.TryGetValue(key, out var own) ? own : null) ?? HarnessResources.Get(key) ?? key;
        return args.Length > 0 ? string.Format(value, args) : value;
    }

    /// <summary>
    /// Writes an amount as nopCommerce's price formatter does for the order's currency
    /// </summary>
    protected string Money(long minor) => KlarnaAmount.FromMinor(minor, Currency).ToString("C", Culture);

    /// <summary>
    /// Writes an amount the way the admin types it in the working culture (e.g. "1,234.56", "1.234,56")
    /// </summary>
    protected string Typed(decimal amount, string format = null) => amount.ToString(format ?? "0.##", Culture);

    /// <summary>
    /// Screenshots go to the test output; with KLARNA_UPDATE_SCREENSHOTS=1 those of en-US replace the README's docs/screenshots
    /// </summary>
    protected string ScreenshotPath(string name)
    {
        var dir = Environment.GetEnvironmentVariable("KLARNA_UPDATE_SCREENSHOTS") == "1" && Culture.Name == "en-US"
            ? Path.Combine(RazorViewCompiler.RepositoryRoot, "docs", "screenshots")
            : Path.Combine(AppContext.BaseDirectory, "screenshots", Culture.Name);
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }

    private static string LineAmounts(params long[] minor) => JsonConvert.SerializeObject(minor);

    /// <summary>
    /// A partly captured order: 1 of 2 shirts captured (in the Merchant Portal), mug (3, with a 3.00 discount) and shipping
    /// still open, a gift card the policy leaves out with its reason, one failed capture
    /// </summary>
    public KlarnaOrderDetailsModel PartlyCapturedOrder()
    {
        var exponent = KlarnaAmount.Exponent(Currency);
        var format = KlarnaMoneyFormat.Read(Money(KlarnaMoneyFormat.ProbeMinor(exponent)), exponent);
        var rules = KlarnaAmountRules.For(Culture, Currency, format);
        return new KlarnaOrderDetailsModel
        {
            Id = 42,
            KlarnaOrderId = "f3a1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b",
            KlarnaReference = "K4Z7Q2X9",
            MerchantPortalUrl = "https://portal.playground.klarna.com/orders/merchants/M12345/orders/f3a1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b",
            KlarnaStatus = "PART_CAPTURED",
            FraudStatus = "ACCEPTED",
            Environment = Text("Enums.Nop.Plugin.Payments.Klarna.Services.Api.KlarnaEnvironment.Playground"),
            IsPlayground = true,
            CurrencyCode = Currency,
            CurrencyExponent = exponent,
            MoneyFormatJson = KlarnaOrderDetailsModelFactory.ToScriptJson(format),
            AmountRulesJson = KlarnaOrderDetailsModelFactory.ToScriptJson(rules),
            AmountExample = rules.Example,
            OrderAmount = Money(8190),
            CapturedAmount = Money(2500),
            RefundedAmount = Money(0),
            RemainingAuthorizedAmount = Money(5690),
            RefundableAmount = Money(2500),
            RemainingAuthorizedAmountMinor = 5690,
            RefundableAmountMinor = 2500,
            InitialPaymentMethod = "Pay later in 30 days",
            ExpiresOn = new DateTime(2026, 12, 24, 10, 15, 0).ToString("g", Culture),
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
                new() { Reference = "SKU-SHIRT", Name = "Organic cotton shirt", Type = "physical", Quantity = 2, UnitPrice = Money(2500),
                    TotalAmount = Money(5000), CapturedQuantity = 1, CapturableQuantity = 1, RefundableQuantity = 1,
                    CaptureAmountsJson = LineAmounts(2500), RefundAmountsJson = LineAmounts(2500) },
                new() { Reference = "SKU-MUG", Name = "Enamel mug <blue>", Type = "physical", Quantity = 3, UnitPrice = Money(1000),
                    TotalAmount = Money(2700), CapturableQuantity = 3, CaptureAmountsJson = LineAmounts(900, 1800, 2700), RefundAmountsJson = LineAmounts() },
                new() { Reference = "SHIPPING", Name = "Standard shipping", Type = "shipping_fee", Quantity = 1, UnitPrice = Money(490),
                    TotalAmount = Money(490), CapturableQuantity = 1, CaptureAmountsJson = LineAmounts(490), RefundAmountsJson = LineAmounts() },
                new() { Reference = "GIFT-CARD", Name = "Gift card", Type = "gift_card", Quantity = 1, UnitPrice = Money(6000),
                    TotalAmount = Money(6000), CapturableQuantity = 0, CaptureAmountsJson = LineAmounts(), RefundAmountsJson = LineAmounts(),
                    CaptureNote = Text("Plugins.Payments.Klarna.Refusal.LineExceedsRemaining", Money(6000), Money(5690)) }
            },
            Captures = new List<KlarnaCaptureRowModel>
            {
                new() { CaptureId = "cap-1", CapturedOn = new DateTime(2026, 11, 26, 9, 30, 0).ToString("g", Culture), Amount = Money(2500),
                    Lines = new List<string> { "1 x Organic cotton shirt" }, Tracking = new List<string> { "DHL Paket 00340434161094042557" },
                    Origin = Text("Enums.Nop.Plugin.Payments.Klarna.Domain.KlarnaInitiator.MerchantPortal"), IsMerchantPortal = true }
            },
            Operations = new List<KlarnaOperationRowModel>
            {
                new() { Kind = Text("Enums.Nop.Plugin.Payments.Klarna.Domain.KlarnaOperationKind.Capture"),
                    Status = Text("Enums.Nop.Plugin.Payments.Klarna.Domain.KlarnaOperationStatus.Failed"), IsFailed = true,
                    CreatedOn = new DateTime(2026, 11, 26, 9, 12, 0).ToString("g", Culture), Amount = Money(8190), Initiator = "admin@shop.example",
                    ErrorCode = "CAPTURE_NOT_ALLOWED", ErrorMessage = "Capture amount exceeds remaining authorized amount.", CorrelationId = "5c8e1d7a-1f0b-4a55-9d3c-6b2f3e4a5d6c" }
            }
        };
    }

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        Assert.That(File.Exists(ChromiumPath), Is.True, "Debian's chromium is required (apt-get install -y chromium; .ci/run installs it)");
        _harness = await OrderBlockHarness.StartAsync();
        _harness.State.Locale.Resources = Resources;
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

    protected ILocator Capture => _page.Locator("#klarna-capture-modal");
    protected ILocator Refund => _page.Locator("#klarna-refund-modal");
    protected ILocator Confirm => _page.Locator("#klarna-confirm-modal");

    protected async Task OpenAsync(string action, ILocator modal)
    {
        await _page.Locator($"#klarna-order-block [data-klarna-action='{action}']").ClickAsync();
        await modal.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        await _page.WaitForTimeoutAsync(400); // Bootstrap's fade
    }

    protected static ILocator Line(ILocator modal, string reference) => modal.Locator($"tr.klarna-line[data-reference='{reference}']");

    [Test]
    public async Task Block_shows_Klarnas_data_in_the_shops_money_format_and_only_the_allowed_buttons()
    {
        var block = _page.Locator("#klarna-order-block");

        Assert.That(await block.Locator(".klarna-portal-link").GetAttributeAsync("href"), Is.EqualTo(PartlyCapturedOrder().MerchantPortalUrl));
        Assert.That(await block.Locator(".klarna-status").TextContentAsync(), Is.EqualTo("PART_CAPTURED"));
        Assert.That(await block.Locator(".klarna-amount-remaining").TextContentAsync(), Is.EqualTo(Money(5690)));
        Assert.That(await block.Locator(".klarna-expires-soon").IsVisibleAsync(), Is.True);
        Assert.That(await block.Locator("[data-klarna-action]").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.klarnaAction)"),
            Is.EqualTo(new[] { "capture-payment", "capture-order", "release", "refund" }));
        var operations = await block.Locator(".klarna-operations").TextContentAsync();
        Assert.That(operations, Does.Contain(Text("Plugins.Payments.Klarna.Admin.Block.ErrorCode") + ":").And.Contain("CAPTURE_NOT_ALLOWED")
            .And.Contain(Text("Plugins.Payments.Klarna.Admin.Block.ErrorMessage") + ":").And.Contain("5c8e1d7a-1f0b-4a55-9d3c-6b2f3e4a5d6c"),
            "Klarna's code and message labelled as Klarna's");
        Assert.That(await _page.Locator("#order-form input:not([type=hidden])[name]").CountAsync(), Is.Zero, "no named input posts with the order form");
        Assert.That(await _page.Locator("#order-form form").CountAsync(), Is.Zero, "no nested form");

        await block.ScreenshotAsync(new LocatorScreenshotOptions { Path = ScreenshotPath("klarna-order-block.png") });
    }

    [Test]
    public async Task A_Merchant_Portal_capture_shows_its_origin_and_lines_in_the_block()
    {
        var capture = _page.Locator("#klarna-order-block tr.klarna-capture[data-capture-id='cap-1']");

        Assert.That(await capture.Locator(".klarna-origin-portal").TextContentAsync(),
            Is.EqualTo(Text("Enums.Nop.Plugin.Payments.Klarna.Domain.KlarnaInitiator.MerchantPortal")));
        Assert.That(await capture.TextContentAsync(), Does.Contain("1 x Organic cotton shirt").And.Contain(Money(2500)));
        Assert.That(await _page.Locator("#klarna-order-block .klarna-captures th").AllTextContentsAsync(),
            Does.Contain(Text("Plugins.Payments.Klarna.Admin.Block.Origin")));
    }

    [Test]
    public async Task Capture_modal_shows_the_amount_of_the_selected_lines_in_the_shops_money_format_on_the_button()
    {
        await OpenAsync("capture-order", Capture);
        var submit = Capture.Locator(".klarna-submit");
        var reason = Capture.Locator(".klarna-submit-reason");
        Assert.That(await submit.IsDisabledAsync(), Is.True, "nothing selected");
        Assert.That(await reason.TextContentAsync(), Is.EqualTo(Text("Plugins.Payments.Klarna.Refusal.NoLinesSelected")));
        Assert.That(await Capture.Locator("tr.klarna-line td:nth-child(2)").First.TextContentAsync(), Does.Contain("Organic cotton shirt"));
        Assert.That(await Line(Capture, "SKU-MUG").TextContentAsync(), Does.Contain("Enamel mug <blue>"), "Klarna text is encoded, not markup");

        await Line(Capture, "SKU-SHIRT").Locator(".klarna-line-check").CheckAsync();
        Assert.That(await Capture.Locator(".klarna-submit-amount").TextContentAsync(), Is.EqualTo(Money(2500)));
        Assert.That(await submit.IsEnabledAsync(), Is.True);
        Assert.That(await reason.TextContentAsync(), Is.Empty);

        await Line(Capture, "SKU-MUG").Locator(".klarna-line-check").CheckAsync();
        Assert.That(await Capture.Locator(".klarna-submit-amount").TextContentAsync(), Is.EqualTo(Money(5200)), "25.00 + all 3 mugs (27.00)");

        await Line(Capture, "SKU-MUG").Locator(".klarna-line-quantity").FillAsync("2");
        Assert.That(await Capture.Locator(".klarna-submit-amount").TextContentAsync(), Is.EqualTo(Money(4300)), "2 x 10.00 - 2/3 of the 3.00 discount, as the server computed it");
        await Capture.ScreenshotAsync(new LocatorScreenshotOptions { Path = ScreenshotPath("klarna-capture-modal.png") });

        await Line(Capture, "SKU-MUG").Locator(".klarna-line-quantity").FillAsync("4");
        Assert.That(await submit.IsDisabledAsync(), Is.True, "more than capturable");
        Assert.That(await Capture.Locator(".klarna-submit-amount").TextContentAsync(), Is.Empty, "a disabled button shows no amount");
        Assert.That(await reason.TextContentAsync(), Is.EqualTo(Text("Plugins.Payments.Klarna.Admin.Modal.QuantityInvalid")));

        await Line(Capture, "SKU-MUG").Locator(".klarna-line-check").UncheckAsync();
        await Line(Capture, "SKU-SHIRT").Locator(".klarna-line-check").UncheckAsync();
        Assert.That(await submit.IsDisabledAsync(), Is.True);
        Assert.That(await Capture.Locator(".klarna-submit-amount").TextContentAsync(), Is.Empty);
    }

    [Test]
    public async Task Capture_modal_offers_only_the_lines_Klarna_accepts_and_says_why_a_line_is_missing()
    {
        await OpenAsync("capture-order", Capture);

        Assert.That(await Capture.Locator("tr.klarna-line").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.reference)"),
            Is.EqualTo(new[] { "SKU-SHIRT", "SKU-MUG", "SHIPPING" }));
        var excluded = Capture.Locator("tr.klarna-line-excluded[data-reference='GIFT-CARD']");
        Assert.That(await excluded.Locator(".klarna-line-check").CountAsync(), Is.Zero, "nothing to tick");
        Assert.That(await excluded.Locator(".klarna-line-note").TextContentAsync(),
            Is.EqualTo(Text("Plugins.Payments.Klarna.Refusal.LineExceedsRemaining", Money(6000), Money(5690))));
    }

    [Test]
    public async Task Capture_amount_mode_reads_amounts_in_the_admins_culture_and_a_disabled_button_says_why()
    {
        await OpenAsync("capture-order", Capture);
        await Capture.Locator(".klarna-switch-to-amount").ClickAsync();
        var input = Capture.Locator(".klarna-amount-input");
        var submit = Capture.Locator(".klarna-submit");
        var reason = Capture.Locator(".klarna-submit-reason");
        Assert.That(await input.IsVisibleAsync(), Is.True);
        Assert.That(await Capture.Locator(".klarna-lines").IsVisibleAsync(), Is.False);
        Assert.That(await Capture.Locator(".klarna-amount-hint").TextContentAsync(),
            Is.EqualTo(Text("Plugins.Payments.Klarna.Admin.Modal.Amount.Hint", 1234.56m.ToString("N2", Culture), Money(5690))));
        Assert.That(await reason.TextContentAsync(), Is.EqualTo(Text("Plugins.Payments.Klarna.Refusal.AmountRequired")));

        await input.FillAsync(Typed(56.90m, "0.00"));
        Assert.That(await submit.IsEnabledAsync(), Is.True);
        Assert.That(await Capture.Locator(".klarna-submit-amount").TextContentAsync(), Is.EqualTo(Money(5690)));

        // the amount as the page shows it: currency symbol and group separators accepted
        await input.FillAsync(Money(5000));
        Assert.That(await submit.IsEnabledAsync(), Is.True, Money(5000));
        Assert.That(await Capture.Locator(".klarna-submit-amount").TextContentAsync(), Is.EqualTo(Money(5000)));

        // higher than what is left (also when typed with group separators): the reason, and no amount on the button
        foreach (var tooHigh in new[] { Typed(56.91m), Typed(2600.01m, "N2"), Money(260001) })
        {
            await input.FillAsync(tooHigh);
            Assert.That(await submit.IsDisabledAsync(), Is.True, tooHigh);
            Assert.That(await Capture.Locator(".klarna-submit-amount").TextContentAsync(), Is.Empty, tooHigh);
            Assert.That(await reason.TextContentAsync(), Is.EqualTo(Text("Plugins.Payments.Klarna.Admin.Modal.TooHigh", Money(5690))), tooHigh);
            Assert.That(await Capture.Locator(".klarna-amount-feedback").TextContentAsync(), Is.EqualTo(await reason.TextContentAsync()));
        }
        await Capture.ScreenshotAsync(new LocatorScreenshotOptions { Path = ScreenshotPath("klarna-capture-amount-over-limit.png") });

        var example = 1234.56m.ToString("N2", Culture);
        var otherCulture = Culture.NumberFormat.NumberDecimalSeparator == "," ? "1,234.56" : "1.234,56";
        foreach (var (invalid, expected) in new[]
        {
            (otherCulture, Text("Plugins.Payments.Klarna.Refusal.AmountMalformed", example)),
            ("-5", Text("Plugins.Payments.Klarna.Refusal.AmountMalformed", example)),
            ("abc", Text("Plugins.Payments.Klarna.Refusal.AmountMalformed", example)),
            ("0", Text("Plugins.Payments.Klarna.Refusal.AmountNotPositive")),
            (Typed(12.345m, "0.000"), Text("Plugins.Payments.Klarna.Refusal.AmountTooManyDecimals", 2, example))
        })
        {
            await input.FillAsync(invalid);
            Assert.That(await submit.IsDisabledAsync(), Is.True, invalid);
            Assert.That(await reason.TextContentAsync(), Is.EqualTo(expected), invalid);
        }

        await input.FillAsync(Typed(10.5m));
        Assert.That(await submit.IsEnabledAsync(), Is.True);
        Assert.That(await Capture.Locator(".klarna-submit-amount").TextContentAsync(), Is.EqualTo(Money(1050)));
    }

    [Test]
    public async Task Capture_by_amount_posts_the_antiforgery_token_and_an_idempotency_key_then_refreshes_the_block()
    {
        var after = PartlyCapturedOrder();
        after.KlarnaStatus = "CAPTURED_BY_TEST";
        _harness.State.ModelAfterSuccess = after;

        await OpenAsync("capture-order", Capture);
        await Capture.Locator(".klarna-switch-to-amount").ClickAsync();
        await Capture.Locator(".klarna-amount-input").FillAsync(Typed(10.50m, "0.00"));
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
        Assert.That(request.Form["amount"], Is.EqualTo(Typed(10.50m, "0.00")), "the text as typed: the server reads it by the same rules");
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
    public async Task A_Klarna_refusal_shows_Klarnas_error_code_message_and_correlation_id_in_the_modal_and_a_retry_reuses_the_key()
    {
        _harness.State.Answer = _ => (409, new
        {
            success = false,
            error = "Captured amount is higher than the remaining authorized amount.",
            errorCode = "CAPTURE_NOT_ALLOWED",
            klarnaErrorCode = "CAPTURE_NOT_ALLOWED",
            correlationId = "b6f0e2c1-8d7a-4e3b-9c5d-1a2b3c4d5e6f"
        });

        await OpenAsync("capture-order", Capture);
        await Line(Capture, "SKU-SHIRT").Locator(".klarna-line-check").CheckAsync();
        await Capture.Locator(".klarna-submit").ClickAsync();
        var error = Capture.Locator(".klarna-modal-error");
        await error.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });

        Assert.That(await error.Locator(".klarna-error-message").TextContentAsync(), Is.EqualTo("Captured amount is higher than the remaining authorized amount."));
        Assert.That(await error.Locator(".klarna-error-code").TextContentAsync(), Is.EqualTo("CAPTURE_NOT_ALLOWED"));
        Assert.That(await error.Locator(".klarna-error-code-row").TextContentAsync(), Does.StartWith(Text("Plugins.Payments.Klarna.Admin.Block.ErrorCode")));
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
    public async Task A_refusal_of_the_plugin_shows_its_text_and_no_Klarna_error_code()
    {
        _harness.State.Answer = _ => (409, new { success = false, error = Text("Plugins.Payments.Klarna.Refusal.NoLinesSelected"), errorCode = "NoLinesSelected" });

        await OpenAsync("capture-order", Capture);
        await Line(Capture, "SKU-SHIRT").Locator(".klarna-line-check").CheckAsync();
        await Capture.Locator(".klarna-submit").ClickAsync();
        var error = Capture.Locator(".klarna-modal-error");
        await error.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });

        Assert.That(await error.Locator(".klarna-error-message").TextContentAsync(), Is.EqualTo(Text("Plugins.Payments.Klarna.Refusal.NoLinesSelected")));
        Assert.That(await error.Locator(".klarna-error-code-row").IsVisibleAsync(), Is.False, "the plugin's own code is not Klarna's");
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
        Assert.That(await Refund.Locator(".klarna-submit-amount").TextContentAsync(), Is.EqualTo(Money(2500)));
        await Refund.ScreenshotAsync(new LocatorScreenshotOptions { Path = ScreenshotPath("klarna-refund-modal.png") });

        await Refund.Locator(".klarna-switch-to-amount").ClickAsync();
        await Refund.Locator(".klarna-amount-input").FillAsync(Typed(25.01m));
        Assert.That(await Refund.Locator(".klarna-submit").IsDisabledAsync(), Is.True);
        Assert.That(await Refund.Locator(".klarna-submit-reason").TextContentAsync(), Is.EqualTo(Text("Plugins.Payments.Klarna.Admin.Modal.TooHigh", Money(2500))));
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
    public async Task Capture_payment_asks_for_confirmation_with_a_title_and_a_button_named_for_the_capture()
    {
        await OpenAsync("capture-payment", Confirm);
        Assert.That(await Confirm.Locator(".klarna-confirm-title").TextContentAsync(), Is.EqualTo(Text("Plugins.Payments.Klarna.Admin.Action.CapturePayment.Title")));
        Assert.That(await Confirm.Locator(".klarna-confirm-text").TextContentAsync(), Is.EqualTo(Text("Plugins.Payments.Klarna.Admin.Action.CapturePayment.Confirm", Money(5690))));
        var submit = Confirm.Locator(".klarna-submit");
        Assert.That(await submit.TextContentAsync(), Is.EqualTo(Text("Plugins.Payments.Klarna.Admin.Action.CapturePayment.Button", Money(5690))));
        Assert.That(await submit.GetAttributeAsync("class"), Does.Contain("btn-primary"));
        Assert.That(_harness.State.Requests, Is.Empty, "nothing before the confirmation");
        await Confirm.ScreenshotAsync(new LocatorScreenshotOptions { Path = ScreenshotPath("klarna-confirm-capture.png") });

        await submit.ClickAsync();
        await Confirm.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Hidden, Timeout = 10_000 });

        Assert.That(_harness.State.Requests.TryDequeue(out var request), Is.True);
        Assert.That(request.Action, Is.EqualTo("capture"));
        Assert.That(request.Form["mode"], Is.EqualTo("full"));
    }

    [Test]
    public async Task Release_and_cancel_are_red_buttons_named_for_what_they_do_under_a_title_that_says_what_happens()
    {
        await OpenAsync("release", Confirm);
        var submit = Confirm.Locator(".klarna-submit");
        Assert.That(await Confirm.Locator(".klarna-confirm-title").TextContentAsync(), Is.EqualTo(Text("Plugins.Payments.Klarna.Admin.Action.Release.Title")));
        Assert.That(await submit.TextContentAsync(), Is.EqualTo(Text("Plugins.Payments.Klarna.Admin.Action.Release.Button", Money(5690))));
        Assert.That(await submit.GetAttributeAsync("class"), Does.Contain("btn-danger").And.Not.Contain("btn-primary"));
        await submit.ClickAsync();
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
        Assert.That(await Confirm.Locator(".klarna-confirm-title").TextContentAsync(), Is.EqualTo(Text("Plugins.Payments.Klarna.Admin.Action.CancelOrder.Title")));
        Assert.That(await submit.TextContentAsync(), Is.EqualTo(Text("Plugins.Payments.Klarna.Admin.Action.CancelOrder")));
        Assert.That(await submit.GetAttributeAsync("class"), Does.Contain("btn-danger").And.Not.Contain("btn-primary"));
        await Confirm.ScreenshotAsync(new LocatorScreenshotOptions { Path = ScreenshotPath("klarna-confirm-cancel.png") });
        await submit.ClickAsync();
        await Confirm.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Hidden, Timeout = 10_000 });
        Assert.That(_harness.State.Requests.TryDequeue(out var cancel), Is.True);
        Assert.That(cancel.Action, Is.EqualTo("cancel"));
    }
}

/// <summary>
/// The order block in en-US, an order in US dollars ("$1,234.56")
/// </summary>
[TestFixture]
public class OrderBlockBrowserTests : OrderBlockBrowserTestsBase
{
    public OrderBlockBrowserTests() : base("en-US", "USD", null)
    {
    }
}

/// <summary>
/// The order block in a second language with comma decimals (de-DE, an order in euros: "1.234,56 €") whose every resource
/// differs from the English one: every test of the block again, and no English on the block or in its modals
/// </summary>
[TestFixture]
public class OrderBlockSecondLanguageBrowserTests : OrderBlockBrowserTestsBase
{
    public OrderBlockSecondLanguageBrowserTests() : base("de-DE", "EUR", HarnessLocale.PseudoLocalized(KlarnaLocaleResources.GetAll()))
    {
    }

    /// <summary>
    /// Gets every text the page may show that comes from Klarna or the order (not from the resources)
    /// </summary>
    private IEnumerable<string> DataTexts()
    {
        var model = PartlyCapturedOrder();
        var texts = new List<string> { model.KlarnaOrderId, model.KlarnaReference, model.KlarnaStatus, model.FraudStatus, model.InitialPaymentMethod,
            model.CurrencyCode, model.AmountExample };
        texts.AddRange(model.Lines.SelectMany(l => new[] { l.Reference, l.Name, l.Type }));
        texts.AddRange(model.Captures.SelectMany(c => c.Lines.Concat(c.Tracking)));
        texts.AddRange(model.Operations.SelectMany(o => new[] { o.Initiator, o.ErrorCode, o.ErrorMessage, o.CorrelationId }));
        return texts.Where(t => !string.IsNullOrEmpty(t)).OrderByDescending(t => t.Length);
    }

    private async Task<string> VisibleTextAsync(ILocator locator)
    {
        var text = await locator.EvaluateAsync<string>(
            "el => el.innerText + ' ' + Array.from(el.querySelectorAll('[title],[aria-label],[placeholder]')).map(e => [e.title, e.getAttribute('aria-label'), e.placeholder].join(' ')).join(' ')");
        foreach (var data in DataTexts())
            text = text.Replace(data, " ");
        return text;
    }

    private static void AssertNoEnglish(string where, string text)
    {
        var english = System.Text.RegularExpressions.Regex.Matches(text, "[A-Za-z]{2,}").Select(m => m.Value).Distinct().ToList();
        Assert.That(english, Is.Empty, $"{where} shows English (text not from the admin's language): {text}");
    }

    [Test]
    public async Task The_block_and_its_modals_show_no_English()
    {
        AssertNoEnglish("the block", await VisibleTextAsync(Page.Locator("#klarna-order-block")));

        await OpenAsync("capture-order", Capture);
        AssertNoEnglish("the capture modal (lines)", await VisibleTextAsync(Capture));
        await Line(Capture, "SKU-MUG").Locator(".klarna-line-check").CheckAsync();
        await Line(Capture, "SKU-MUG").Locator(".klarna-line-quantity").FillAsync("9");
        AssertNoEnglish("the capture modal (a wrong quantity)", await VisibleTextAsync(Capture));
        await Capture.Locator(".klarna-switch-to-amount").ClickAsync();
        foreach (var typed in new[] { "", "abc", "99,99", "0", "1,234" })
        {
            await Capture.Locator(".klarna-amount-input").FillAsync(typed);
            AssertNoEnglish($"the capture modal (amount '{typed}')", await VisibleTextAsync(Capture));
        }
        await Capture.Locator("button.close").ClickAsync();
        await Capture.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Hidden });

        await OpenAsync("refund", Refund);
        AssertNoEnglish("the refund modal", await VisibleTextAsync(Refund));
        await Refund.Locator("button.close").ClickAsync();
        await Refund.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Hidden });

        foreach (var action in new[] { "capture-payment", "release" })
        {
            await OpenAsync(action, Confirm);
            AssertNoEnglish($"the confirmation of {action}", await VisibleTextAsync(Confirm));
            await Confirm.Locator("button.close").ClickAsync();
            await Confirm.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Hidden });
        }
    }
}
