using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;
using static Nop.Plugin.Payments.Klarna.Tests.Support.OrderManagementHarness;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

/// <summary>
/// Refunds (everything captured and not refunded, selected lines, an amount) through the executor: never more than Klarna can refund
/// </summary>
[TestFixture]
public class KlarnaRefundCommandTests
{
    private OrderManagementHarness _harness;

    [SetUp]
    public void SetUp()
    {
        _harness = new OrderManagementHarness();
    }

    [TearDown]
    public void TearDown() => _harness.Dispose();

    private async Task<Order> CapturedOrderAsync(long? captureAmount = null, string currency = "EUR", decimal rate = 1m)
    {
        var order = _harness.CreateOrder(currency, rate, Line("sku-1", 2, 5000), Line("sku-2", 1, 2000));
        var result = await _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = order.Id, AmountMinor = captureAmount });
        Assert.That(result.Success, Is.True, _harness.TextOf(result));
        return order;
    }

    private Task<KlarnaOperationResult> RefundAsync(Order order, long? amount = null, params KlarnaLineSelection[] lines) =>
        _harness.Executor.ExecuteAsync(new KlarnaRefundCommand
        {
            OrderId = order.Id,
            AmountMinor = amount,
            Lines = lines.Length == 0 ? null : lines,
            Initiator = KlarnaInitiator.Admin,
            Description = "Return"
        });

    [Test]
    public async Task A_full_refund_refunds_everything_captured_with_lines_and_sets_refunded_and_the_refunded_amount()
    {
        var order = await CapturedOrderAsync(currency: "SEK", rate: 10m);

        var result = await RefundAsync(order);

        Assert.That(result.Success, Is.True, _harness.TextOf(result));
        var refund = _harness.KlarnaOrderOf(order).Refunds.Single();
        Assert.Multiple(() =>
        {
            Assert.That(refund.RefundedAmount, Is.EqualTo(12000));
            Assert.That(refund.OrderLines.Sum(l => l.TotalAmount), Is.EqualTo(12000));
            Assert.That(refund.Description, Is.EqualTo("Return"));
            Assert.That(order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.Refunded));
            Assert.That(order.RefundedAmount, Is.EqualTo(12m), "120.00 SEK / rate 10 in the primary currency");
            Assert.That(order.OrderStatusId, Is.EqualTo((int)OrderStatus.Cancelled), "mapped 'after refund' status");
            Assert.That(_harness.NotesOf(order), Has.Some.Contains("refunded 120.00 SEK").And.Contains(refund.RefundId));
        });
    }

    [Test]
    public async Task A_partial_refund_by_amount_sets_partially_refunded_and_keeps_an_unmapped_order_status()
    {
        var order = await CapturedOrderAsync();
        var status = order.OrderStatusId;

        var result = await RefundAsync(order, 2550);

        Assert.That(result.Success, Is.True, _harness.TextOf(result));
        Assert.That(order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.PartiallyRefunded));
        Assert.That(order.RefundedAmount, Is.EqualTo(25.50m));
        Assert.That(order.OrderStatusId, Is.EqualTo(status));
        Assert.That(_harness.KlarnaOrderOf(order).Refunds.Single().OrderLines, Is.Null.Or.Empty);
    }

    [Test]
    public async Task An_amount_above_what_klarna_can_refund_is_refused_naming_the_real_maximum()
    {
        var order = await CapturedOrderAsync(5000);
        await RefundAsync(order, 1000);
        var writes = _harness.Klarna.Writes.Count;

        var result = await RefundAsync(order, 4001);

        Assert.That(result.Refusal.Code, Is.EqualTo(KlarnaRefusalCode.RefundAmountTooHigh));
        Assert.That(_harness.TextOf(result), Is.EqualTo("40.01 EUR is more than Klarna can refund: at most 40.00 EUR (captured and not yet refunded)."));
        Assert.That(_harness.Klarna.Writes.Count, Is.EqualTo(writes));
        Assert.That(order.RefundedAmount, Is.EqualTo(10m));
    }

    [TestCase(0)]
    [TestCase(-100)]
    public async Task An_amount_not_above_zero_is_refused(long amount)
    {
        var order = await CapturedOrderAsync();

        var result = await RefundAsync(order, amount);

        Assert.That(result.Refusal.Code, Is.EqualTo(KlarnaRefusalCode.AmountNotPositive));
        Assert.That(_harness.Klarna.Writes.Count, Is.EqualTo(1));
    }

    [Test]
    public async Task A_refund_before_any_capture_is_refused_without_calling_klarna()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));

        var result = await RefundAsync(order, 100);

        Assert.That(result.Refusal.Code, Is.EqualTo(KlarnaRefusalCode.NothingCaptured));
        Assert.That(result.Refusal.Kind, Is.EqualTo(KlarnaRefusalKind.Conflict));
        Assert.That(_harness.Klarna.Writes, Is.Empty);
    }

    [Test]
    public async Task A_refund_by_lines_takes_only_captured_and_not_refunded_quantities()
    {
        var order = _harness.CreateOrder(Line("sku-1", 3, 1000), Line("sku-2", 1, 2000));
        await _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = order.Id, Lines = new[] { new KlarnaLineSelection { Reference = "sku-1", Quantity = 2 } } });
        var refundOne = await RefundAsync(order, null, new KlarnaLineSelection { Reference = "sku-1", Quantity = 1 });

        var tooMany = await RefundAsync(order, null, new KlarnaLineSelection { Reference = "sku-1", Quantity = 2 });
        var notCaptured = await RefundAsync(order, null, new KlarnaLineSelection { Reference = "sku-2", Quantity = 1 });

        Assert.That(refundOne.Success, Is.True, _harness.TextOf(refundOne));
        Assert.That(_harness.TextOf(tooMany), Is.EqualTo("Only 1 of \"Item sku-2\" are left.".Replace("sku-2", "sku-1")));
        Assert.That(notCaptured.Refusal.Code, Is.EqualTo(KlarnaRefusalCode.LineQuantityTooHigh));
        Assert.That(_harness.KlarnaOrderOf(order).Refunds.Single().OrderLines.Single().TotalAmount, Is.EqualTo(1000));
    }

    [Test]
    public async Task Capturing_the_rest_after_a_partial_refund_applies_the_capture_status_and_keeps_partially_refunded()
    {
        var order = await CapturedOrderAsync(5000);
        await RefundAsync(order, 1000);
        order.OrderStatusId = (int)OrderStatus.Processing;

        var result = await _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = order.Id });

        Assert.That(result.Success, Is.True, _harness.TextOf(result));
        Assert.That(order.OrderStatusId, Is.EqualTo((int)OrderStatus.Complete));
        Assert.That(order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.PartiallyRefunded));
    }

    [Test]
    public async Task A_refund_while_another_refund_is_pending_waits_for_it_and_is_refused_clearly()
    {
        var order = await CapturedOrderAsync();
        _harness.Klarna.OnWrite = (method, _) => { if (method == "refund") _harness.Klarna.NextFault["refund"] = "drop"; };
        var lost = await RefundAsync(order, 1000);

        var second = await RefundAsync(order, 500);

        Assert.That(lost.OutcomeUnknown, Is.True);
        Assert.That(second.Refusal.Code, Is.EqualTo(KlarnaRefusalCode.OperationPending));
        Assert.That(_harness.TextOf(second), Does.Contain("10.00 EUR").And.Contain("refresh the order"));
        Assert.That(_harness.Klarna.Writes.Where(w => w.Method == "refund").Select(w => w.Key).Distinct().Count(), Is.EqualTo(1), "the replay used the pending refund's own key");
        Assert.That(_harness.OperationsOf(order).Count(op => op.Kind == KlarnaOperationKind.Refund), Is.EqualTo(1));
    }
    [Test]
    public async Task A_refund_carries_the_reference_the_admin_gave_else_the_order_number()
    {
        var order = await CapturedOrderAsync();

        var given = await _harness.Executor.ExecuteAsync(new KlarnaRefundCommand { OrderId = order.Id, AmountMinor = 100, Reference = "RMA-7", Initiator = KlarnaInitiator.Admin });
        var none = await RefundAsync(order, 100);

        Assert.That((given.Success, none.Success), Is.EqualTo((true, true)), _harness.TextOf(given));
        Assert.That(_harness.KlarnaOrderOf(order).Refunds.Select(r => r.Reference), Is.EqualTo(new[] { "RMA-7", order.CustomOrderNumber }));
    }
}
