using Moq;
using Nop.Core.Domain.Customers;
using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;
using static Nop.Plugin.Payments.Klarna.Tests.Support.OrderManagementHarness;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

/// <summary>
/// Captures (everything left, selected lines, an amount) through the executor, against the in-memory Klarna
/// </summary>
[TestFixture]
public class KlarnaCaptureCommandTests
{
    private OrderManagementHarness _harness;

    [SetUp]
    public void SetUp()
    {
        _harness = new OrderManagementHarness();
    }

    [TearDown]
    public void TearDown() => _harness.Dispose();

    private Task<KlarnaOperationResult> CaptureAsync(Order order, long? amount = null, params KlarnaLineSelection[] lines) =>
        _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand
        {
            OrderId = order.Id,
            AmountMinor = amount,
            Lines = lines.Length == 0 ? null : lines,
            Initiator = KlarnaInitiator.Admin,
            InitiatedBy = "admin@shop.test"
        });

    private static KlarnaLineSelection Select(string reference, long quantity) => new() { Reference = reference, Quantity = quantity };

    [Test]
    public async Task Capturing_everything_left_sends_all_lines_then_sets_paid_and_the_mapped_status()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000), Line("shipping", 1, 490, type: KlarnaOrderLineType.ShippingFee));

        var result = await CaptureAsync(order);

        Assert.That(result.Success, Is.True, _harness.TextOf(result));
        var klarnaOrder = _harness.KlarnaOrderOf(order);
        Assert.Multiple(() =>
        {
            Assert.That(klarnaOrder.Status, Is.EqualTo(KlarnaOrderStatus.Captured));
            Assert.That(klarnaOrder.Captures.Single().OrderLines.Select(l => (l.Reference, l.Quantity, l.TotalAmount)),
                Is.EqualTo(new[] { ("sku-1", 2L, 10000L), ("shipping", 1L, 490L) }));
            Assert.That(order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.Paid));
            Assert.That(order.PaidDateUtc, Is.Not.Null);
            Assert.That(order.OrderStatusId, Is.EqualTo((int)OrderStatus.Complete));
            Assert.That(result.PaymentStatus, Is.EqualTo(PaymentStatus.Paid));
            Assert.That(result.Operation.KlarnaId, Is.EqualTo(klarnaOrder.Captures.Single().CaptureId));
            Assert.That(result.Operation.Status, Is.EqualTo(KlarnaOperationStatus.Succeeded));
            Assert.That(_harness.NotesOf(order), Has.Some.Contains("captured 104.90 EUR").And.Contains(result.Operation.KlarnaId));
            Assert.That(_harness.PublishedEvents.OfType<OrderStatusChangedEvent>().Single().PreviousOrderStatus, Is.EqualTo(OrderStatus.Processing));
        });
        var record = await _harness.RecordService.GetByOrderIdAsync(order.Id);
        Assert.That(record.CapturedAmountMinor, Is.EqualTo(10490));
        Assert.That(record.RemainingAuthorizedAmountMinor, Is.EqualTo(0));
        Assert.That(record.AppliedStatusEvents, Does.Contain(nameof(KlarnaStatusEvent.Captured)));
    }

    [Test]
    public async Task A_capture_reads_klarnas_order_once_and_the_record_and_the_view_follow_the_capture()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000), Line("shipping", 1, 490, type: KlarnaOrderLineType.ShippingFee));
        Interlocked.Exchange(ref _harness.Klarna.Reads, 0);

        var result = await CaptureAsync(order, 490);

        Assert.That(result.Success, Is.True, _harness.TextOf(result));
        Assert.That(_harness.Klarna.Reads, Is.EqualTo(1));
        var record = await _harness.RecordService.GetByOrderIdAsync(order.Id);
        var klarnaOrder = _harness.KlarnaOrderOf(order);
        Assert.Multiple(() =>
        {
            Assert.That(record.KlarnaStatus, Is.EqualTo(klarnaOrder.Status));
            Assert.That(record.CapturedAmountMinor, Is.EqualTo(klarnaOrder.CapturedAmount));
            Assert.That(record.RemainingAuthorizedAmountMinor, Is.EqualTo(klarnaOrder.RemainingAuthorizedAmount));
            Assert.That(result.View.Decision.CapturedAmountMinor, Is.EqualTo(490));
            Assert.That(result.View.Decision.Capture.LimitMinor, Is.EqualTo(10000));
            Assert.That(result.View.KlarnaOrder.Captures, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task The_order_becoming_paid_publishes_OrderPaidEvent_once()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));

        var partial = await CaptureAsync(order, 4000);
        _harness.EventPublisher.Verify(p => p.PublishAsync(It.IsAny<OrderPaidEvent>()), Times.Never, "a partial capture leaves the order authorized");
        var rest = await CaptureAsync(order);

        Assert.That(partial.Success && rest.Success, Is.True);
        _harness.EventPublisher.Verify(p => p.PublishAsync(It.IsAny<OrderPaidEvent>()), Times.Once);
    }

    [Test]
    public async Task A_capture_by_amount_captures_part_without_lines_and_keeps_the_payment_authorized_with_the_partial_capture_status()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));
        order.OrderStatusId = (int)OrderStatus.Pending;

        var result = await CaptureAsync(order, 3000);

        Assert.That(result.Success, Is.True, _harness.TextOf(result));
        var klarnaOrder = _harness.KlarnaOrderOf(order);
        Assert.Multiple(() =>
        {
            Assert.That(klarnaOrder.Status, Is.EqualTo(KlarnaOrderStatus.PartCaptured));
            Assert.That(klarnaOrder.RemainingAuthorizedAmount, Is.EqualTo(7000));
            Assert.That(klarnaOrder.Captures.Single().OrderLines, Is.Null.Or.Empty, "a capture by amount carries no lines");
            Assert.That(order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.Authorized));
            Assert.That(order.OrderStatusId, Is.EqualTo((int)OrderStatus.Processing), "mapped 'after partial capture' status");
        });
    }

    [Test]
    public async Task Selected_lines_are_sent_alone_and_the_last_part_of_a_line_takes_exactly_what_is_left()
    {
        var order = _harness.CreateOrder(Line("sku-1", 3, 1000, discount: 100), Line("sku-2", 1, 2000));

        var first = await CaptureAsync(order, null, Select("sku-1", 1));
        var second = await CaptureAsync(order, null, Select("sku-1", 1));
        var third = await CaptureAsync(order, null, Select("sku-1", 1), Select("sku-2", 1));

        Assert.That(new[] { first.Success, second.Success, third.Success }, Is.All.True);
        var captures = _harness.KlarnaOrderOf(order).Captures;
        Assert.Multiple(() =>
        {
            Assert.That(captures[0].OrderLines.Single().TotalAmount, Is.EqualTo(967), "1000 - 33 (discount 100 prorated to 1 of 3)");
            Assert.That(captures[0].CapturedAmount, Is.EqualTo(967));
            Assert.That(captures[1].CapturedAmount, Is.EqualTo(966), "1000 - 34 (the 67 of discount left, prorated to 1 of the 2 left)");
            Assert.That(captures[2].OrderLines.First(l => l.Reference == "sku-1").TotalAmount, Is.EqualTo(967), "the last part takes the rest");
            Assert.That(captures[2].OrderLines.First(l => l.Reference == "sku-1").TotalDiscountAmount, Is.EqualTo(33));
            Assert.That(captures.Sum(c => c.CapturedAmount), Is.EqualTo(4900));
            Assert.That(captures.All(c => c.CapturedAmount == c.OrderLines.Sum(l => l.TotalAmount)), Is.True, "lines add up to the amount");
            Assert.That(order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.Paid));
        });
    }

    [Test]
    public async Task An_amount_above_what_is_left_is_refused_with_the_real_maximum_and_nothing_written()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));

        var result = await CaptureAsync(order, 5001);

        Assert.That(result.Refusal.Code, Is.EqualTo(KlarnaRefusalCode.CaptureAmountTooHigh));
        Assert.That(_harness.TextOf(result), Is.EqualTo("50.01 EUR is more than what can still be captured: at most 50.00 EUR."));
        Assert.That(_harness.Klarna.Writes, Is.Empty);
        Assert.That(_harness.OperationsOf(order), Is.Empty);
        Assert.That(_harness.NotesOf(order), Is.Empty, "an admin's refused click is answered, not noted");
    }

    [Test]
    public async Task Selected_lines_adding_up_to_more_than_the_remaining_authorization_are_refused()
    {
        // 2 x 13.00 with 5.00 captured by amount: each unit fits the 21.00 left, both do not
        var order = _harness.CreateOrder(Line("a", 1, 1300), Line("b", 1, 1300));
        await CaptureAsync(order, 500);

        var result = await CaptureAsync(order, null, Select("a", 1), Select("b", 1));

        Assert.That(result.Refusal.Code, Is.EqualTo(KlarnaRefusalCode.CaptureAmountTooHigh));
        Assert.That(result.Refusal.Args, Is.EqualTo(new object[] { new KlarnaMoney(2600, "EUR"), new KlarnaMoney(2100, "EUR") }));
        Assert.That(_harness.Klarna.Writes, Has.Count.EqualTo(1));
    }

    [TestCase(0)]
    [TestCase(-1)]
    public async Task An_amount_not_above_zero_is_refused_without_calling_klarna(long amount)
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));

        var result = await CaptureAsync(order, amount);

        Assert.That(result.Refusal.Code, Is.EqualTo(KlarnaRefusalCode.AmountNotPositive));
        Assert.That(result.Refusal.Kind, Is.EqualTo(KlarnaRefusalKind.Invalid));
        Assert.That(_harness.Klarna.Writes, Is.Empty);
    }

    [Test]
    public async Task Lines_not_in_the_order_are_refused_naming_the_reference()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));

        var result = await CaptureAsync(order, null, Select("sku-404", 1));

        Assert.That(_harness.TextOf(result), Does.Contain("sku-404"));
        Assert.That(_harness.Klarna.Writes, Is.Empty);
    }

    [Test]
    public async Task A_quantity_above_what_is_left_is_refused_with_what_is_left()
    {
        var order = _harness.CreateOrder(Line("sku-1", 3, 1000));
        await CaptureAsync(order, null, Select("sku-1", 2));

        var result = await CaptureAsync(order, null, Select("sku-1", 2));

        Assert.That(_harness.TextOf(result), Is.EqualTo("Only 1 of \"Item sku-1\" are left."));
        Assert.That(_harness.Klarna.Writes.Count, Is.EqualTo(1));
    }

    [Test]
    public async Task Lines_and_an_amount_together_are_refused()
    {
        var order = _harness.CreateOrder(Line("sku-1", 3, 1000));

        var result = await CaptureAsync(order, 1000, Select("sku-1", 1));

        Assert.That(result.Refusal.Code, Is.EqualTo(KlarnaRefusalCode.LinesAndAmount));
        Assert.That(_harness.Klarna.Writes, Is.Empty);
    }

    [Test]
    public async Task An_amount_in_another_currency_than_klarnas_is_refused()
    {
        var order = _harness.CreateOrder(Line("sku-1", 3, 1000));

        var result = await _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = order.Id, AmountMinor = 100, CurrencyCode = "USD" });

        Assert.That(result.Refusal.Code, Is.EqualTo(KlarnaRefusalCode.CurrencyMismatch));
        Assert.That(_harness.TextOf(result), Is.EqualTo("The amount is in USD, but the Klarna order is in EUR."));
    }

    [TestCase(KlarnaOrderStatus.Cancelled)]
    [TestCase(KlarnaOrderStatus.Expired)]
    [TestCase(KlarnaOrderStatus.Closed)]
    public async Task A_klarna_order_that_is_no_longer_open_is_refused_naming_its_status(string status)
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        var klarnaOrder = _harness.KlarnaOrderOf(order);
        klarnaOrder.Status = status;
        _harness.Klarna.AddOrder(klarnaOrder);

        var result = await CaptureAsync(order);

        Assert.That(_harness.TextOf(result), Does.Contain(status));
        Assert.That(_harness.Klarna.Writes, Is.Empty);
    }

    [TestCase(KlarnaFraudStatus.Pending, KlarnaRefusalCode.FraudPending)]
    [TestCase(KlarnaFraudStatus.Rejected, KlarnaRefusalCode.FraudRejected)]
    [TestCase(KlarnaFraudStatus.Stopped, KlarnaRefusalCode.FraudStopped)]
    public async Task A_fraud_hold_refuses_the_capture(string fraudStatus, KlarnaRefusalCode expected)
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        var klarnaOrder = _harness.KlarnaOrderOf(order);
        klarnaOrder.FraudStatus = fraudStatus;
        _harness.Klarna.AddOrder(klarnaOrder);
        //the order was placed with that fraud status (Klarna never takes a decision back to pending)
        var record = _harness.RecordTable.Rows.Single(r => r.OrderId == order.Id);
        record.FraudStatus = fraudStatus;
        await _harness.RecordTable.UpdateAsync(record);

        var result = await CaptureAsync(order);

        Assert.That(result.ErrorCode, Is.EqualTo(expected.ToString()));
        Assert.That(_harness.Klarna.Writes, Is.Empty);
    }

    [Test]
    public async Task Capturing_when_everything_is_captured_is_nothing_to_do_without_a_note()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        await CaptureAsync(order);
        var notes = _harness.NotesOf(order).Count;

        var result = await CaptureAsync(order);

        Assert.That(result.NothingToDo, Is.True);
        Assert.That(_harness.Klarna.Writes.Count, Is.EqualTo(1));
        Assert.That(_harness.NotesOf(order).Count, Is.EqualTo(notes));
    }

    [Test]
    public async Task The_pending_operation_is_recorded_with_its_idempotency_key_before_klarna_is_called()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        KlarnaOperation atCallTime = null;
        _harness.Klarna.OnWrite = (_, key) => atCallTime = _harness.OperationTable.Rows.SingleOrDefault(op => op.IdempotencyKey == key);

        var result = await CaptureAsync(order);

        Assert.That(atCallTime, Is.Not.Null, "recorded before the call");
        Assert.That(atCallTime.Status, Is.EqualTo(KlarnaOperationStatus.Pending));
        Assert.That(atCallTime.AmountMinor, Is.EqualTo(5000));
        Assert.That(atCallTime.LinesJson, Does.Contain("sku-1"), "what was sent is recorded (a replay sends the same)");
        Assert.That(_harness.Klarna.Writes.Single().Key, Is.EqualTo(result.Operation.IdempotencyKey));
        Assert.That(result.Operation.Initiator, Is.EqualTo(KlarnaInitiator.Admin));
        Assert.That(result.Operation.InitiatedBy, Is.EqualTo("admin@shop.test"));
    }

    [Test]
    public async Task Klarnas_refusal_is_recorded_as_failed_with_a_note_and_a_log_entry_carrying_its_code_and_correlation_id()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        _harness.Klarna.NextFault["capture"] = "PAYMENT_METHOD_FAILED";

        var result = await CaptureAsync(order);

        Assert.That(result.Success, Is.False);
        Assert.That(result.OutcomeUnknown, Is.False);
        Assert.That(result.ErrorCode, Is.EqualTo("PAYMENT_METHOD_FAILED"));
        Assert.That(result.CorrelationId, Does.StartWith("corr-"));
        var operation = _harness.OperationsOf(order).Single();
        Assert.Multiple(() =>
        {
            Assert.That(operation.Status, Is.EqualTo(KlarnaOperationStatus.Failed));
            Assert.That(operation.ErrorCode, Is.EqualTo("PAYMENT_METHOD_FAILED"));
            Assert.That(operation.CorrelationId, Is.EqualTo(result.CorrelationId));
            Assert.That(_harness.NotesOf(order).Single(), Does.Contain("PAYMENT_METHOD_FAILED").And.Contain(result.CorrelationId));
            Assert.That(_harness.TextOf(result), Does.Contain("PAYMENT_METHOD_FAILED").And.Contain(result.CorrelationId));
            Assert.That(order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.Authorized));
        });
        _harness.Logger.Verify(l => l.ErrorAsync(It.Is<string>(m => m.Contains(result.CorrelationId)), It.IsAny<Exception>(), It.IsAny<Customer>()), Times.Once);
    }

    [Test]
    public async Task The_same_caller_key_twice_captures_once_and_answers_the_first_result()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));
        var command = new KlarnaCaptureCommand { OrderId = order.Id, AmountMinor = 3000, Initiator = KlarnaInitiator.Admin, IdempotencyKey = "click-42" };

        var first = await _harness.Executor.ExecuteAsync(command);
        var second = await _harness.Executor.ExecuteAsync(command);

        Assert.That(first.Success && second.Success, Is.True);
        Assert.That(second.Operation.Id, Is.EqualTo(first.Operation.Id));
        Assert.That(_harness.Klarna.Executed, Is.EqualTo(1));
        Assert.That(_harness.KlarnaOrderOf(order).CapturedAmount, Is.EqualTo(3000));
    }

    [Test]
    public async Task A_caller_key_used_for_a_refund_is_refused_for_a_capture()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));
        await CaptureAsync(order, 3000);
        await _harness.Executor.ExecuteAsync(new KlarnaRefundCommand { OrderId = order.Id, AmountMinor = 100, IdempotencyKey = "click-7" });

        var result = await _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = order.Id, AmountMinor = 100, IdempotencyKey = "click-7" });

        Assert.That(result.Refusal.Code, Is.EqualTo(KlarnaRefusalCode.IdempotencyKeyInUse));
        Assert.That(_harness.KlarnaOrderOf(order).CapturedAmount, Is.EqualTo(3000));
    }

    [Test]
    public async Task A_capture_carries_the_tracking_info_of_the_shipped_shipments()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        var item = _harness.AddOrderItem(order, Guid.NewGuid(), 1);
        _harness.AddShipment(order, "TRACK-1", true, (item, 1));

        var result = await CaptureAsync(order);

        Assert.That(result.Success, Is.True, _harness.TextOf(result));
        var info = _harness.KlarnaOrderOf(order).Captures.Single().ShippingInfo.Single();
        Assert.Multiple(() =>
        {
            Assert.That(info.ShippingCompany, Is.EqualTo("DHL Paket"));
            Assert.That(info.TrackingNumber, Is.EqualTo("TRACK-1"));
            Assert.That(info.TrackingUri, Is.EqualTo("https://tracking.example/TRACK-1"));
            Assert.That(result.Operation.ShippingInfoJson, Does.Contain("TRACK-1"));
        });
    }

    [Test]
    public async Task An_order_that_is_not_a_klarna_order_is_refused()
    {
        var result = await _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = 9999, Initiator = KlarnaInitiator.Admin });

        Assert.That(result.Refusal.Code, Is.EqualTo(KlarnaRefusalCode.NotKlarnaOrder));
        Assert.That(_harness.Locker.Acquisitions, Is.Zero, "no lock for an order that is not ours");
    }

    [Test]
    public async Task When_klarna_cannot_be_read_nothing_is_written_and_the_admin_gets_klarnas_error()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        _harness.Klarna.FailReads = true;

        var result = await CaptureAsync(order);

        Assert.That(result.Refusal.Code, Is.EqualTo(KlarnaRefusalCode.KlarnaUnreadable));
        Assert.That(result.OutcomeUnknown, Is.False, "nothing was sent");
        Assert.That(result.KlarnaError.ErrorCode, Is.EqualTo("TEMPORARILY_UNAVAILABLE"));
        Assert.That(_harness.TextOf(result), Does.Contain("TEMPORARILY_UNAVAILABLE").And.Contain(result.KlarnaError.CorrelationId));
        Assert.That(_harness.Klarna.Writes, Is.Empty);
        Assert.That(_harness.OperationsOf(order), Is.Empty);
        Assert.That(_harness.NotesOf(order).Single(), Does.Contain("reading the Klarna order failed"));
    }

    [Test]
    public async Task Capture_upon_fulfillment_takes_what_is_left_of_a_line_asked_for_more()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 1000));
        await CaptureAsync(order, null, Select("sku-1", 1));

        var result = await _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand
        {
            OrderId = order.Id,
            Lines = new[] { Select("sku-1", 2) },
            Initiator = KlarnaInitiator.CaptureUponFulfillment
        });

        Assert.That(result.Success, Is.True, _harness.TextOf(result));
        Assert.That(_harness.KlarnaOrderOf(order).Captures.Last().OrderLines.Single().Quantity, Is.EqualTo(1));
    }
    [Test]
    public async Task An_empty_line_selection_captures_everything_left()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));

        var result = await _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = order.Id, Lines = new List<KlarnaLineSelection>(), Initiator = KlarnaInitiator.Admin });

        Assert.That(result.Success, Is.True, _harness.TextOf(result));
        Assert.That(_harness.KlarnaOrderOf(order).CapturedAmount, Is.EqualTo(10000));
    }

    [Test]
    public async Task Capture_upon_fulfillment_of_lines_captured_already_has_nothing_to_capture()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000), Line("sku-2", 1, 3000));
        await CaptureAsync(order, null, Select("sku-1", 1));

        var result = await _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand
        {
            OrderId = order.Id, Lines = new[] { Select("sku-1", 1) }, Initiator = KlarnaInitiator.CaptureUponFulfillment
        });

        Assert.That(result.Refusal?.Code, Is.EqualTo(KlarnaRefusalCode.NothingToCapture));
        Assert.That(_harness.KlarnaOrderOf(order).Captures, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Selected_lines_worth_nothing_are_refused()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000), Line("gift", 1, 0));

        var result = await CaptureAsync(order, null, Select("gift", 1));

        Assert.That(result.Refusal?.Code, Is.EqualTo(KlarnaRefusalCode.LinesAddUpToNothing));
        Assert.That(_harness.KlarnaOrderOf(order).Captures, Is.Empty);
    }
}
