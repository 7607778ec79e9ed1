using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using Nop.Services.Payments;
using NUnit.Framework;
using static Nop.Plugin.Payments.Klarna.Tests.Support.OrderManagementHarness;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

[TestFixture]
public class KlarnaNopPaymentOperationsTests
{
    private OrderManagementHarness _harness;

    [SetUp]
    public void SetUp()
    {
        _harness = new OrderManagementHarness();
    }

    [Test]
    public async Task CaptureAsync_captures_the_rest_and_returns_paid_with_the_capture_id()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));
        await _harness.Service.CaptureAsync(new KlarnaCaptureCommand { OrderId = order.Id, AmountMinor = 3000, Initiator = KlarnaInitiator.Admin });

        var result = await _harness.NopOperations.CaptureAsync(new CapturePaymentRequest { Order = order });

        Assert.That(result.Errors, Is.Null.Or.Empty, "success");
        Assert.That(result.NewPaymentStatus, Is.EqualTo(PaymentStatus.Paid));
        Assert.That(result.CaptureTransactionId, Is.EqualTo(_harness.KlarnaOrderOf(order).Captures[1].CaptureId));
        Assert.That(_harness.KlarnaOrderOf(order).Captures[1].CapturedAmount, Is.EqualTo(7000));
    }

    [Test]
    public async Task CaptureAsync_failure_keeps_the_payment_status_and_reports_the_error()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));
        _harness.Klarna.NextFault["capture"] = "CAPTURE_NOT_ALLOWED";

        var result = await _harness.NopOperations.CaptureAsync(new CapturePaymentRequest { Order = order });

        Assert.That(result.Errors, Is.Not.Empty, "failure");
        Assert.That(result.NewPaymentStatus, Is.EqualTo(PaymentStatus.Authorized));
        Assert.That(result.Errors.Single(), Does.Contain("CAPTURE_NOT_ALLOWED").And.Contain("correlation id"));
    }

    [Test]
    public async Task RefundAsync_converts_the_primary_currency_amount_with_the_order_rate_and_does_not_touch_the_refunded_amount()
    {
        var order = _harness.CreateOrder("SEK", 10.5m, Line("sku-1", 2, 5000));
        await _harness.NopOperations.CaptureAsync(new CapturePaymentRequest { Order = order });

        var result = await _harness.NopOperations.RefundAsync(new RefundPaymentRequest { Order = order, AmountToRefund = 1.99m, IsPartialRefund = true });

        Assert.That(result.Errors, Is.Null.Or.Empty, "success");
        Assert.That(result.NewPaymentStatus, Is.EqualTo(PaymentStatus.PartiallyRefunded));
        Assert.That(_harness.KlarnaOrderOf(order).Refunds.Single().RefundedAmount, Is.EqualTo(2090), "1.99 * 10.5 = 20.895 SEK -> 20.90");
        Assert.That(order.RefundedAmount, Is.EqualTo(0m), "nopCommerce adds the refunded amount itself");
    }

    [Test]
    public async Task RefundAsync_full_refund_after_a_partial_capture_is_refused_clearly()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));
        await _harness.Service.CaptureAsync(new KlarnaCaptureCommand { OrderId = order.Id, AmountMinor = 3000, Initiator = KlarnaInitiator.Admin });

        var result = await _harness.NopOperations.RefundAsync(new RefundPaymentRequest { Order = order, AmountToRefund = order.OrderTotal, IsPartialRefund = false });

        Assert.That(result.Errors, Is.Not.Empty, "failure");
        Assert.That(result.Errors.Single(), Does.Contain("100.00 EUR").And.Contain("30.00 EUR that can be refunded"));
        Assert.That(result.NewPaymentStatus, Is.EqualTo(PaymentStatus.Authorized));
        Assert.That(_harness.KlarnaOrderOf(order).Refunds, Is.Empty);
    }

    [Test]
    public async Task RefundAsync_full_refund_returns_refunded()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));
        await _harness.NopOperations.CaptureAsync(new CapturePaymentRequest { Order = order });

        var result = await _harness.NopOperations.RefundAsync(new RefundPaymentRequest { Order = order, AmountToRefund = order.OrderTotal });

        Assert.That(result.Errors, Is.Null.Or.Empty, "success");
        Assert.That(result.NewPaymentStatus, Is.EqualTo(PaymentStatus.Refunded));
    }

    [Test]
    public async Task VoidAsync_cancels_before_any_capture_and_returns_voided()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));

        var result = await _harness.NopOperations.VoidAsync(new VoidPaymentRequest { Order = order });

        Assert.That(result.Errors, Is.Null.Or.Empty, "success");
        Assert.That(result.NewPaymentStatus, Is.EqualTo(PaymentStatus.Voided));
        Assert.That(_harness.Klarna.Writes.Single().Method, Is.EqualTo("cancel"));
    }

    [Test]
    public async Task VoidAsync_after_a_partial_capture_releases_the_rest_and_returns_paid()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));
        await _harness.Service.CaptureAsync(new KlarnaCaptureCommand { OrderId = order.Id, AmountMinor = 3000, Initiator = KlarnaInitiator.Admin });

        var result = await _harness.NopOperations.VoidAsync(new VoidPaymentRequest { Order = order });

        Assert.That(result.Errors, Is.Null.Or.Empty, "success");
        Assert.That(result.NewPaymentStatus, Is.EqualTo(PaymentStatus.Paid));
        Assert.That(_harness.Klarna.Writes.Last().Method, Is.EqualTo("release"));
    }

    [Test]
    public async Task VoidAsync_on_a_cancelled_order_fails_and_keeps_the_payment_status()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));
        await _harness.Service.CancelAsync(order.Id, KlarnaInitiator.Admin, "admin");
        order.PaymentStatusId = (int)PaymentStatus.Authorized;

        var result = await _harness.NopOperations.VoidAsync(new VoidPaymentRequest { Order = order });

        Assert.That(result.Errors, Is.Not.Empty, "failure");
        Assert.That(result.NewPaymentStatus, Is.EqualTo(PaymentStatus.Authorized));
    }
}
