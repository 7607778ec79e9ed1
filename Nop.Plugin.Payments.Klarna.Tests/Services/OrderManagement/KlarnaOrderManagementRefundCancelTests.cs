using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;
using static Nop.Plugin.Payments.Klarna.Tests.Support.OrderManagementHarness;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

[TestFixture]
public class KlarnaOrderManagementRefundCancelTests
{
    private OrderManagementHarness _harness;

    [SetUp]
    public void SetUp()
    {
        _harness = new OrderManagementHarness();
    }

    private async Task<Order> CapturedOrderAsync(long? captureAmount = null, string currency = "EUR", decimal rate = 1m)
    {
        var order = _harness.CreateOrder(currency, rate, Line("sku-1", 2, 5000), Line("sku-2", 1, 2000));
        var result = await _harness.Service.CaptureAsync(new KlarnaCaptureCommand { OrderId = order.Id, AmountMinor = captureAmount, Initiator = KlarnaInitiator.Admin });
        Assert.That(result.Success, Is.True, result.Error);
        return order;
    }

    private Task<KlarnaOperationResult> RefundAsync(Order order, long? amount = null, params KlarnaLineSelection[] lines) =>
        _harness.Service.RefundAsync(new KlarnaRefundCommand
        {
            OrderId = order.Id,
            AmountMinor = amount,
            Lines = lines.Length == 0 ? null : lines,
            Initiator = KlarnaInitiator.Admin,
            Description = "Return"
        });

    [Test]
    public async Task RefundAsync_full_refunds_everything_captured_with_lines_and_sets_refunded_and_the_refunded_amount()
    {
        var order = await CapturedOrderAsync(currency: "SEK", rate: 10m);

        var result = await RefundAsync(order);

        Assert.That(result.Success, Is.True, result.Error);
        var refund = _harness.KlarnaOrderOf(order).Refunds.Single();
        Assert.Multiple(() =>
        {
            Assert.That(refund.RefundedAmount, Is.EqualTo(12000));
            Assert.That(refund.OrderLines.Sum(l => l.TotalAmount), Is.EqualTo(12000));
            Assert.That(order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.Refunded));
            Assert.That(order.RefundedAmount, Is.EqualTo(12m), "120.00 SEK / rate 10 in the primary currency");
            Assert.That(order.OrderStatusId, Is.EqualTo((int)OrderStatus.Cancelled), "mapped 'after refund' status");
            Assert.That(_harness.NotesOf(order), Has.Some.Contains("refunded 120.00 SEK").And.Contains(refund.RefundId));
        });
    }

    [Test]
    public async Task RefundAsync_partial_amount_sets_partially_refunded_and_keeps_the_order_status_when_unmapped()
    {
        var order = await CapturedOrderAsync();
        var status = order.OrderStatusId;

        var result = await RefundAsync(order, 2550);

        Assert.That(result.Success, Is.True, result.Error);
        Assert.That(order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.PartiallyRefunded));
        Assert.That(order.RefundedAmount, Is.EqualTo(25.50m));
        Assert.That(order.OrderStatusId, Is.EqualTo(status));
    }

    [Test]
    public async Task RefundAsync_refuses_refund_above_refundable_without_calling_klarna()
    {
        var order = await CapturedOrderAsync(5000);
        await RefundAsync(order, 1000);
        var writes = _harness.Klarna.Writes.Count;

        var result = await RefundAsync(order, 4001);

        Assert.That(result.Success, Is.False);
        Assert.That(result.Error, Does.Contain("40.01 EUR").And.Contain("40.00 EUR that can be refunded"));
        Assert.That(_harness.Klarna.Writes.Count, Is.EqualTo(writes));
    }

    [TestCase(0)]
    [TestCase(-100)]
    public async Task RefundAsync_refuses_zero_or_negative_amount(long amount)
    {
        var order = await CapturedOrderAsync();

        var result = await RefundAsync(order, amount);

        Assert.That(result.Success, Is.False);
        Assert.That(_harness.Klarna.Writes.Count, Is.EqualTo(1));
    }

    [Test]
    public async Task RefundAsync_refuses_before_any_capture_without_calling_klarna()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));

        var result = await RefundAsync(order, 100);

        Assert.That(result.Success, Is.False);
        Assert.That(result.ErrorCode, Is.EqualTo("REFUND_NOT_ALLOWED"));
        Assert.That(_harness.Klarna.Writes, Is.Empty);
    }

    [Test]
    public async Task RefundAsync_by_lines_refuses_quantities_above_captured_minus_refunded()
    {
        var order = _harness.CreateOrder(Line("sku-1", 3, 1000), Line("sku-2", 1, 2000));
        await _harness.Service.CaptureAsync(new KlarnaCaptureCommand
        {
            OrderId = order.Id,
            Lines = new[] { new KlarnaLineSelection { Reference = "sku-1", Quantity = 2 } },
            Initiator = KlarnaInitiator.Admin
        });
        var refundOne = await RefundAsync(order, null, new KlarnaLineSelection { Reference = "sku-1", Quantity = 1 });

        var tooMany = await RefundAsync(order, null, new KlarnaLineSelection { Reference = "sku-1", Quantity = 2 });
        var notCaptured = await RefundAsync(order, null, new KlarnaLineSelection { Reference = "sku-2", Quantity = 1 });

        Assert.That(refundOne.Success, Is.True, refundOne.Error);
        Assert.That(tooMany.Success, Is.False);
        Assert.That(tooMany.Error, Does.Contain("Only 1"));
        Assert.That(notCaptured.Success, Is.False);
        Assert.That(_harness.KlarnaOrderOf(order).Refunds.Single().OrderLines.Single().TotalAmount, Is.EqualTo(1000));
    }

    [Test]
    public async Task CaptureAsync_of_the_rest_after_a_partial_refund_applies_the_capture_status()
    {
        var order = await CapturedOrderAsync(5000);
        await RefundAsync(order, 1000);
        order.OrderStatusId = (int)OrderStatus.Processing;

        var result = await _harness.Service.CaptureAsync(new KlarnaCaptureCommand { OrderId = order.Id, Initiator = KlarnaInitiator.Admin });

        Assert.That(result.Success, Is.True, result.Error);
        Assert.That(order.OrderStatusId, Is.EqualTo((int)OrderStatus.Complete));
        Assert.That(order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.PartiallyRefunded));
    }

    [Test]
    public async Task CancelAsync_cancels_an_authorized_order_and_sets_voided_and_the_cancel_status()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));

        var result = await _harness.Service.CancelAsync(order.Id, KlarnaInitiator.Admin, "admin");

        Assert.That(result.Success, Is.True, result.Error);
        Assert.That(_harness.KlarnaOrderOf(order).Status, Is.EqualTo(KlarnaOrderStatus.Cancelled));
        Assert.That(order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.Voided));
        Assert.That(order.OrderStatusId, Is.EqualTo((int)OrderStatus.Cancelled));
        Assert.That(_harness.NotesOf(order), Has.Some.Contains("order cancelled"));
    }

    [Test]
    public async Task CancelAsync_refuses_after_a_capture_without_calling_klarna()
    {
        var order = await CapturedOrderAsync(1000);

        var result = await _harness.Service.CancelAsync(order.Id, KlarnaInitiator.Admin, "admin");

        Assert.That(result.Success, Is.False);
        Assert.That(result.Error, Does.Contain("Release the remaining authorization"));
        Assert.That(_harness.Klarna.Writes.Count, Is.EqualTo(1));
    }

    [Test]
    public async Task ReleaseRemainingAuthorizationAsync_after_a_partial_capture_sets_paid_and_the_capture_status()
    {
        var order = await CapturedOrderAsync(1000);

        var result = await _harness.Service.ReleaseRemainingAuthorizationAsync(order.Id, KlarnaInitiator.Admin, "admin");

        Assert.That(result.Success, Is.True, result.Error);
        Assert.That(_harness.KlarnaOrderOf(order).RemainingAuthorizedAmount, Is.EqualTo(0));
        Assert.That(order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.Paid));
        Assert.That(order.OrderStatusId, Is.EqualTo((int)OrderStatus.Complete));
        Assert.That(_harness.NotesOf(order), Has.Some.Contains("remaining authorization of 110.00 EUR released"));
    }

    [Test]
    public async Task ReleaseRemainingAuthorizationAsync_refuses_without_captures()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));

        var result = await _harness.Service.ReleaseRemainingAuthorizationAsync(order.Id, KlarnaInitiator.Admin, "admin");

        Assert.That(result.Success, Is.False);
        Assert.That(result.Error, Does.Contain("cancel the order instead"));
        Assert.That(_harness.Klarna.Writes, Is.Empty);
    }

    [Test]
    public async Task ExtendAuthorizationAsync_extends_and_records_the_new_expiry()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));

        var result = await _harness.Service.ExtendAuthorizationAsync(order.Id, KlarnaInitiator.Admin, "admin");

        Assert.That(result.Success, Is.True, result.Error);
        var record = await _harness.RecordService.GetByOrderIdAsync(order.Id);
        Assert.That(record.ExpiresAtUtc, Is.EqualTo(_harness.KlarnaOrderOf(order).ExpiresAt.Value.UtcDateTime));
        Assert.That(_harness.Klarna.Writes.Single().Method, Is.EqualTo("extend"));
    }

    [Test]
    public async Task ExtendAuthorizationAsync_refuses_a_cancelled_order()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        await _harness.Service.CancelAsync(order.Id, KlarnaInitiator.Admin, "admin");

        var result = await _harness.Service.ExtendAuthorizationAsync(order.Id, KlarnaInitiator.Admin, "admin");

        Assert.That(result.Success, Is.False);
        Assert.That(_harness.Klarna.Writes.Count, Is.EqualTo(1));
    }
}
