using Moq;
using Nop.Core.Domain.Customers;
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
public class KlarnaOrderManagementCaptureTests
{
    private OrderManagementHarness _harness;

    [SetUp]
    public void SetUp()
    {
        _harness = new OrderManagementHarness();
    }

    private Task<KlarnaOperationResult> CaptureAsync(Order order, long? amount = null, params KlarnaLineSelection[] lines) =>
        _harness.Service.CaptureAsync(new KlarnaCaptureCommand
        {
            OrderId = order.Id,
            AmountMinor = amount,
            Lines = lines.Length == 0 ? null : lines,
            Initiator = KlarnaInitiator.Admin,
            InitiatedBy = "admin@shop.test"
        });

    private static KlarnaLineSelection Select(string reference, long quantity) => new() { Reference = reference, Quantity = quantity };

    [Test]
    public async Task CaptureAsync_captures_everything_left_with_all_lines_then_sets_paid_and_the_mapped_status()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000), Line("shipping", 1, 490, type: KlarnaOrderLineType.ShippingFee));

        var result = await CaptureAsync(order);

        Assert.That(result.Success, Is.True, result.Error);
        var klarnaOrder = _harness.KlarnaOrderOf(order);
        Assert.Multiple(() =>
        {
            Assert.That(klarnaOrder.Status, Is.EqualTo(KlarnaOrderStatus.Captured));
            Assert.That(klarnaOrder.CapturedAmount, Is.EqualTo(10490));
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
    public async Task CaptureAsync_reads_klarnas_order_once_and_the_record_follows_the_capture()
    {
        // Arrange
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000), Line("shipping", 1, 490, type: KlarnaOrderLineType.ShippingFee));
        Interlocked.Exchange(ref _harness.Klarna.Reads, 0);

        // Act
        var result = await _harness.Service.CaptureAsync(new KlarnaCaptureCommand { OrderId = order.Id, AmountMinor = 490, Initiator = KlarnaInitiator.Admin });

        // Assert: one read (validation) and one write, like a bare client; the record is computed from them
        Assert.That(result.Success, Is.True, result.Error);
        Assert.That(_harness.Klarna.Reads, Is.EqualTo(1));
        var record = await _harness.RecordService.GetByOrderIdAsync(order.Id);
        var klarnaOrder = _harness.KlarnaOrderOf(order);
        Assert.Multiple(() =>
        {
            Assert.That(record.KlarnaStatus, Is.EqualTo(klarnaOrder.Status));
            Assert.That(record.CapturedAmountMinor, Is.EqualTo(klarnaOrder.CapturedAmount));
            Assert.That(record.RemainingAuthorizedAmountMinor, Is.EqualTo(klarnaOrder.RemainingAuthorizedAmount));
        });
    }

    [Test]
    public async Task CaptureAsync_publishes_OrderPaidEvent_once_when_the_order_becomes_paid()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));

        var partial = await CaptureAsync(order, 4000);
        _harness.EventPublisher.Verify(p => p.PublishAsync(It.IsAny<OrderPaidEvent>()), Times.Never, "a partial capture leaves the order authorized");

        var rest = await CaptureAsync(order);

        Assert.That(partial.Success && rest.Success, Is.True, partial.Error ?? rest.Error);
        // (the reference event has no behaviour: its Order is set by nopCommerce's real constructor)
        _harness.EventPublisher.Verify(p => p.PublishAsync(It.IsAny<OrderPaidEvent>()), Times.Once);
    }

    [Test]
    public async Task NopCommerces_capture_button_leaves_OrderPaidEvent_to_nopCommerce()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));

        var result = await _harness.NopOperations.CaptureAsync(new Nop.Services.Payments.CapturePaymentRequest { Order = order });

        Assert.That(result.Errors ?? new List<string>(), Is.Empty);
        Assert.That(result.NewPaymentStatus, Is.EqualTo(PaymentStatus.Paid));
        _harness.EventPublisher.Verify(p => p.PublishAsync(It.IsAny<OrderPaidEvent>()), Times.Never);
    }

    [Test]
    public async Task CaptureAsync_by_amount_captures_part_and_keeps_authorized_with_the_partial_capture_status()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));
        order.OrderStatusId = (int)OrderStatus.Pending;

        var result = await CaptureAsync(order, 3000);

        Assert.That(result.Success, Is.True, result.Error);
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
    public async Task CaptureAsync_sends_only_selected_lines_and_the_last_part_takes_exactly_what_is_left()
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
            Assert.That(_harness.KlarnaOrderOf(order).Status, Is.EqualTo(KlarnaOrderStatus.Captured));
            Assert.That(order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.Paid));
        });
    }

    [Test]
    public async Task CaptureAsync_refuses_amount_above_remaining_without_calling_klarna()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));

        var result = await CaptureAsync(order, 5001);

        Assert.That(result.Success, Is.False);
        Assert.That(result.Error, Does.Contain("50.01 EUR").And.Contain("50.00 EUR left to capture"));
        Assert.That(_harness.Klarna.Writes, Is.Empty);
        Assert.That(_harness.OperationsOf(order), Is.Empty);
    }

    [TestCase(0)]
    [TestCase(-1)]
    public async Task CaptureAsync_refuses_zero_or_negative_amount_without_calling_klarna(long amount)
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));

        var result = await CaptureAsync(order, amount);

        Assert.That(result.Success, Is.False);
        Assert.That(result.Error, Does.Contain("greater than zero"));
        Assert.That(_harness.Klarna.Writes, Is.Empty);
    }

    [Test]
    public async Task CaptureAsync_refuses_lines_not_in_the_order_without_calling_klarna()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));

        var result = await CaptureAsync(order, null, Select("sku-404", 1));

        Assert.That(result.Success, Is.False);
        Assert.That(result.Error, Does.Contain("sku-404"));
        Assert.That(_harness.Klarna.Writes, Is.Empty);
    }

    [Test]
    public async Task CaptureAsync_refuses_quantity_above_what_is_left_without_calling_klarna()
    {
        var order = _harness.CreateOrder(Line("sku-1", 3, 1000));
        await CaptureAsync(order, null, Select("sku-1", 2));

        var result = await CaptureAsync(order, null, Select("sku-1", 2));

        Assert.That(result.Success, Is.False);
        Assert.That(result.Error, Does.Contain("Only 1"));
        Assert.That(_harness.Klarna.Writes.Count, Is.EqualTo(1));
    }

    [Test]
    public async Task CaptureAsync_refuses_lines_and_amount_together()
    {
        var order = _harness.CreateOrder(Line("sku-1", 3, 1000));

        var result = await CaptureAsync(order, 1000, Select("sku-1", 1));

        Assert.That(result.Success, Is.False);
        Assert.That(_harness.Klarna.Writes, Is.Empty);
    }

    [TestCase(KlarnaOrderStatus.Cancelled)]
    [TestCase(KlarnaOrderStatus.Expired)]
    [TestCase(KlarnaOrderStatus.Closed)]
    public async Task CaptureAsync_refuses_in_wrong_state_without_calling_klarna(string status)
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        var klarnaOrder = _harness.KlarnaOrderOf(order);
        klarnaOrder.Status = status;
        _harness.Klarna.AddOrder(klarnaOrder);

        var result = await CaptureAsync(order);

        Assert.That(result.Success, Is.False);
        Assert.That(result.Error, Does.Contain(status));
        Assert.That(_harness.Klarna.Writes, Is.Empty);
    }

    [Test]
    public async Task CaptureAsync_refuses_while_the_fraud_review_is_pending()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        var klarnaOrder = _harness.KlarnaOrderOf(order);
        klarnaOrder.FraudStatus = KlarnaFraudStatus.Pending;
        _harness.Klarna.AddOrder(klarnaOrder);

        var result = await CaptureAsync(order);

        Assert.That(result.Success, Is.False);
        Assert.That(result.ErrorCode, Is.EqualTo("FRAUD_PENDING"));
        Assert.That(_harness.Klarna.Writes, Is.Empty);
    }

    [Test]
    public async Task CaptureAsync_when_everything_is_captured_is_a_no_op_without_note()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        await CaptureAsync(order);
        var notes = _harness.NotesOf(order).Count;

        var result = await CaptureAsync(order);

        Assert.That(result.Success, Is.False);
        Assert.That(result.NothingToDo, Is.True);
        Assert.That(_harness.Klarna.Writes.Count, Is.EqualTo(1));
        Assert.That(_harness.NotesOf(order).Count, Is.EqualTo(notes));
    }

    [Test]
    public async Task CaptureAsync_records_the_pending_operation_with_its_idempotency_key_before_calling_klarna()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        KlarnaOperation atCallTime = null;
        _harness.Klarna.OnWrite = (_, key) => atCallTime = _harness.OperationTable.Rows.SingleOrDefault(op => op.IdempotencyKey == key);

        var result = await CaptureAsync(order);

        Assert.That(atCallTime, Is.Not.Null, "recorded before the call");
        Assert.That(atCallTime.Status, Is.EqualTo(KlarnaOperationStatus.Pending));
        Assert.That(atCallTime.AmountMinor, Is.EqualTo(5000));
        Assert.That(_harness.Klarna.Writes.Single().Key, Is.EqualTo(result.Operation.IdempotencyKey));
        Assert.That(result.Operation.Initiator, Is.EqualTo(KlarnaInitiator.Admin));
        Assert.That(result.Operation.InitiatedBy, Is.EqualTo("admin@shop.test"));
    }

    [Test]
    public async Task CaptureAsync_failure_records_failed_operation_note_and_log_with_klarnas_error_and_correlation_id()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        _harness.Klarna.NextFault["capture"] = "PAYMENT_METHOD_FAILED";

        var result = await CaptureAsync(order);

        Assert.That(result.Success, Is.False);
        Assert.That(result.ErrorCode, Is.EqualTo("PAYMENT_METHOD_FAILED"));
        Assert.That(result.CorrelationId, Does.StartWith("corr-"));
        var operation = _harness.OperationsOf(order).Single();
        Assert.Multiple(() =>
        {
            Assert.That(operation.Status, Is.EqualTo(KlarnaOperationStatus.Failed));
            Assert.That(operation.ErrorCode, Is.EqualTo("PAYMENT_METHOD_FAILED"));
            Assert.That(operation.CorrelationId, Is.EqualTo(result.CorrelationId));
            Assert.That(_harness.NotesOf(order).Single(), Does.Contain("PAYMENT_METHOD_FAILED").And.Contain(result.CorrelationId));
            Assert.That(order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.Authorized));
        });
        _harness.Logger.Verify(l => l.ErrorAsync(It.Is<string>(m => m.Contains(result.CorrelationId)), It.IsAny<Exception>(), It.IsAny<Customer>()), Times.Once);
    }

    [Test]
    public async Task CaptureAsync_with_the_same_caller_key_twice_captures_once()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));
        var command = new KlarnaCaptureCommand { OrderId = order.Id, AmountMinor = 3000, Initiator = KlarnaInitiator.Admin, IdempotencyKey = "click-42" };

        var first = await _harness.Service.CaptureAsync(command);
        var second = await _harness.Service.CaptureAsync(command);

        Assert.That(first.Success && second.Success, Is.True);
        Assert.That(second.Operation.Id, Is.EqualTo(first.Operation.Id));
        Assert.That(_harness.Klarna.Executed, Is.EqualTo(1));
        Assert.That(_harness.KlarnaOrderOf(order).CapturedAmount, Is.EqualTo(3000));
    }

    [Test]
    public async Task CaptureAsync_carries_tracking_info_of_the_shipments()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        var item = _harness.AddOrderItem(order, Guid.NewGuid(), 1);
        _harness.AddShipment(order, "TRACK-1", true, (item, 1));

        var result = await CaptureAsync(order);

        Assert.That(result.Success, Is.True, result.Error);
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
    public async Task CaptureAsync_refuses_an_order_that_is_not_a_klarna_order()
    {
        var result = await _harness.Service.CaptureAsync(new KlarnaCaptureCommand { OrderId = 9999, Initiator = KlarnaInitiator.Admin });

        Assert.That(result.Success, Is.False);
        Assert.That(result.ErrorCode, Is.EqualTo(KlarnaOrderManagementService.ErrorNotKlarnaOrder));
    }

    [Test]
    public async Task CaptureAsync_when_klarna_cannot_be_read_records_a_failed_operation_without_writing()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        _harness.Klarna.FailReads = true;

        var result = await CaptureAsync(order);

        Assert.That(result.Success, Is.False);
        Assert.That(result.ErrorCode, Is.EqualTo("TEMPORARILY_UNAVAILABLE"));
        Assert.That(_harness.Klarna.Writes, Is.Empty);
        Assert.That(_harness.OperationsOf(order).Single().Status, Is.EqualTo(KlarnaOperationStatus.Failed));
    }
}
