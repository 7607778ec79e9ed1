using Moq;
using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

/// <summary>
/// The one place refusals, notes and results become text: locale resources, nopCommerce's price formatter, localized enums
/// </summary>
[TestFixture]
public class KlarnaTextsTests
{
    private OrderManagementHarness _harness;

    [SetUp]
    public void SetUp()
    {
        _harness = new OrderManagementHarness();
    }

    [TearDown]
    public void TearDown() => _harness.Dispose();

    [Test]
    public async Task Amounts_go_through_the_price_formatter_in_the_working_language_and_their_own_currency()
    {
        var text = await _harness.Texts.RefusalAsync(new KlarnaRefusal(KlarnaRefusalCode.RefundAmountTooHigh, new KlarnaMoney(1199, "JPY"), new KlarnaMoney(39950, "USD")));

        Assert.That(text, Is.EqualTo("1199.00 JPY is more than Klarna can refund: at most 399.50 USD (captured and not yet refunded)."));
        _harness.PriceFormatter.Verify(f => f.FormatPriceAsync(1199m, true, "JPY", false, 1), Times.Once, "JPY has no minor unit");
    }

    [Test]
    public async Task Dates_are_utc_and_enums_are_localized()
    {
        var text = await _harness.Texts.RefusalAsync(new KlarnaRefusal(KlarnaRefusalCode.OperationPending, KlarnaOperationKind.Refund,
            new KlarnaMoney(500, "EUR"), new DateTime(2026, 6, 1, 8, 5, 0, DateTimeKind.Utc)));

        Assert.That(text, Does.StartWith("An earlier Refund of 5.00 EUR (started 2026-06-01 08:05 UTC) has no outcome yet."));
        _harness.Localization.Verify(l => l.GetLocalizedEnumAsync(KlarnaOperationKind.Refund, It.IsAny<int?>()), Times.Once);
    }

    [Test]
    public async Task A_translation_with_broken_placeholders_shows_its_text_with_the_values()
    {
        _harness.Localization.Setup(l => l.GetResourceAsync("Plugins.Payments.Klarna.Refusal.UnknownLine")).ReturnsAsync("Unbekannte Zeile {3}");

        var text = await _harness.Texts.RefusalAsync(new KlarnaRefusal(KlarnaRefusalCode.UnknownLine, "sku-9"));

        Assert.That(text, Is.EqualTo("Unbekannte Zeile {3} (sku-9)"));
    }

    [Test]
    public async Task A_result_is_its_refusal_or_klarnas_answer_and_nothing_for_a_success()
    {
        var refused = KlarnaOperationResult.Refused(KlarnaRefusalCode.NothingToCapture);
        var lost = KlarnaOperationResult.Failed(new KlarnaOperation { Kind = KlarnaOperationKind.Capture },
            new KlarnaFailure { ErrorCode = "TIMEOUT", Messages = new[] { "no answer" }, OutcomeUnknown = true });
        var klarnaSaidNo = KlarnaOperationResult.Failed(new KlarnaOperation { Kind = KlarnaOperationKind.Refund },
            new KlarnaFailure { StatusCode = 403, ErrorCode = "REFUND_NOT_ALLOWED", Messages = new[] { "Refund not allowed" }, CorrelationId = "corr-1" });

        Assert.That(await _harness.Texts.ResultAsync(KlarnaOperationResult.Ok(null)), Is.Empty);
        Assert.That(await _harness.Texts.ResultAsync(refused), Is.EqualTo("Nothing is left to capture."));
        Assert.That(await _harness.Texts.ResultAsync(lost), Does.StartWith("Klarna did not answer the Capture (error code TIMEOUT; Klarna's message: no answer)."));
        Assert.That(await _harness.Texts.ResultAsync(klarnaSaidNo), Is.EqualTo("Klarna refused the Refund. Klarna's error code: REFUND_NOT_ALLOWED; Klarna's message: Refund not allowed (correlation id corr-1)."));
    }

    [Test]
    public async Task Outside_a_request_the_default_language_is_used()
    {
        _harness.WorkContext.Setup(w => w.GetWorkingLanguageAsync()).ThrowsAsync(new InvalidOperationException("no HTTP context"));

        var text = await _harness.Texts.FormatAsync("Plugins.Payments.Klarna.Note.PaymentStatusFollows", new object[] { PaymentStatus.Authorized, PaymentStatus.Paid });

        Assert.That(text, Is.EqualTo("Payment status: Authorized to Paid."));
    }
}
