using Moq;
using Nop.Core.Domain.Customers;
using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Payments;
using Nop.Core.Domain.Shipping;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;
using static Nop.Plugin.Payments.Klarna.Tests.Support.OrderManagementHarness;

namespace Nop.Plugin.Payments.Klarna.Tests.Infrastructure;

[TestFixture]
public class EventConsumerTests
{
    private OrderManagementHarness _harness;

    [SetUp]
    public void SetUp()
    {
        _harness = new OrderManagementHarness { DispatchEvents = true };
    }

    [TearDown]
    public void TearDown() => _harness.Dispose();

    private async Task ChangeStatusAsync(Order order, OrderStatus status)
    {
        var previous = (OrderStatus)order.OrderStatusId;
        order.OrderStatusId = (int)status;
        await _harness.Consumer.HandleEventAsync(NopEvents.OrderStatusChanged(order, previous));
    }

    [Test]
    public async Task OrderStatusChanged_to_the_configured_status_captures_everything_uncaptured_once()
    {
        _harness.Settings.CaptureUponFulfillmentMode = KlarnaCaptureUponFulfillmentMode.OnOrderStatus;
        _harness.Settings.CaptureOnOrderStatusId = (int)OrderStatus.Complete;
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));
        await _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = order.Id, AmountMinor = 2500, Initiator = KlarnaInitiator.Admin });

        await ChangeStatusAsync(order, OrderStatus.Complete);
        var notes = _harness.NotesOf(order).Count;
        order.OrderStatusId = (int)OrderStatus.Processing;
        await ChangeStatusAsync(order, OrderStatus.Complete);

        var klarnaOrder = _harness.KlarnaOrderOf(order);
        Assert.Multiple(() =>
        {
            Assert.That(klarnaOrder.Captures, Has.Count.EqualTo(2));
            Assert.That(klarnaOrder.Captures[1].CapturedAmount, Is.EqualTo(7500));
            Assert.That(klarnaOrder.Status, Is.EqualTo(KlarnaOrderStatus.Captured));
            Assert.That(order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.Paid));
            Assert.That(_harness.NotesOf(order).Count, Is.EqualTo(notes), "the second event is a no-op without a note");
            Assert.That(_harness.OperationsOf(order).Last().Initiator, Is.EqualTo(KlarnaInitiator.CaptureUponFulfillment));
        });
    }

    [Test]
    public async Task OrderStatusChanged_does_nothing_when_capture_upon_fulfillment_is_off_or_another_status()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));
        await ChangeStatusAsync(order, OrderStatus.Complete);

        _harness.Settings.CaptureUponFulfillmentMode = KlarnaCaptureUponFulfillmentMode.OnOrderStatus;
        _harness.Settings.CaptureOnOrderStatusId = (int)OrderStatus.Complete;
        await ChangeStatusAsync(order, OrderStatus.Pending);

        Assert.That(_harness.Klarna.Writes, Is.Empty);
    }

    [Test]
    public async Task A_status_the_mapping_set_because_of_a_partial_capture_does_not_capture_the_rest()
    {
        _harness.Settings.CaptureUponFulfillmentMode = KlarnaCaptureUponFulfillmentMode.OnOrderStatus;
        _harness.Settings.CaptureOnOrderStatusId = (int)OrderStatus.Complete;
        _harness.Settings.OrderStatusAfterPartialCaptureId = (int)OrderStatus.Complete;
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));

        var result = await _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = order.Id, AmountMinor = 2500, Initiator = KlarnaInitiator.Admin });

        var mapped = _harness.PublishedEvents.OfType<KlarnaOrderStatusMappedEvent>().Single();
        Assert.Multiple(() =>
        {
            Assert.That(result.Success, Is.True, _harness.TextOf(result));
            Assert.That(order.OrderStatusId, Is.EqualTo((int)OrderStatus.Complete));
            Assert.That(mapped.StatusEvent, Is.EqualTo(KlarnaStatusEvent.PartiallyCaptured));
            Assert.That(mapped.PreviousOrderStatus, Is.EqualTo(OrderStatus.Processing));
            Assert.That(_harness.KlarnaOrderOf(order).Captures, Has.Count.EqualTo(1), "the admin's partial capture only");
        });
    }

    [Test]
    public async Task A_status_the_mapping_set_when_klarna_accepted_the_order_captures_it_once_after_the_lock_is_released()
    {
        _harness.Settings.CaptureUponFulfillmentMode = KlarnaCaptureUponFulfillmentMode.OnOrderStatus;
        _harness.Settings.CaptureOnOrderStatusId = (int)OrderStatus.Processing;
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));
        order.OrderStatusId = (int)OrderStatus.Pending;
        order.PaymentStatusId = (int)PaymentStatus.Pending;
        var record = _harness.RecordTable.Rows.Single(r => r.OrderId == order.Id);
        record.FraudStatus = KlarnaFraudStatus.Pending;
        record.AppliedStatusEvents = nameof(KlarnaStatusEvent.FraudPending);
        await _harness.RecordTable.UpdateAsync(record);
        var lockHeldWhenPublished = new List<bool>();
        _harness.EventPublisher.Setup(p => p.PublishAsync(It.IsAny<Nop.Core.Domain.Orders.OrderStatusChangedEvent>())).Returns(async (OrderStatusChangedEvent e) =>
        {
            lockHeldWhenPublished.Add(_harness.Locker.HeldKeys.Contains(KlarnaDefaults.OrderLockKey(order.Id)));
            _harness.PublishedEvents.Enqueue(e);
            await _harness.Consumer.HandleEventAsync(e);
        });

        //Klarna accepted it (the notification makes the engine reconcile): the mapping sets Processing, the capture trigger
        var reconciled = await _harness.Executor.ReconcileAsync(new KlarnaReconcileRequest { OrderId = order.Id, Initiator = KlarnaInitiator.Notification, Wait = true });

        var operations = _harness.OperationsOf(order);
        Assert.Multiple(() =>
        {
            Assert.That(reconciled.Success, Is.True, _harness.TextOf(reconciled));
            Assert.That(lockHeldWhenPublished, Is.Not.Empty.And.All.False, "published once the lock is released (the fraud acceptance's status, then the capture's)");
            Assert.That(_harness.KlarnaOrderOf(order).Captures, Has.Count.EqualTo(1));
            Assert.That(_harness.KlarnaOrderOf(order).Status, Is.EqualTo(KlarnaOrderStatus.Captured));
            Assert.That(operations.Single(op => op.Kind == KlarnaOperationKind.Capture).Initiator, Is.EqualTo(KlarnaInitiator.CaptureUponFulfillment));
            Assert.That(operations.Where(op => op.Status != KlarnaOperationStatus.Succeeded), Is.Empty, "nothing refused by the plugin's own lock");
            Assert.That(order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.Paid));
        });
    }

    [Test]
    public async Task A_status_the_mapping_sets_after_a_full_capture_that_is_also_the_trigger_captures_nothing_more()
    {
        _harness.Settings.CaptureUponFulfillmentMode = KlarnaCaptureUponFulfillmentMode.OnOrderStatus;
        _harness.Settings.CaptureOnOrderStatusId = (int)OrderStatus.Complete;
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));

        var result = await _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = order.Id, Initiator = KlarnaInitiator.Admin });
        await ChangeStatusAsync(order, OrderStatus.Complete);

        Assert.That(result.Success, Is.True, _harness.TextOf(result));
        Assert.That(_harness.KlarnaOrderOf(order).Captures, Has.Count.EqualTo(1));
        Assert.That(_harness.OperationsOf(order).Count(op => op.Kind == KlarnaOperationKind.Capture), Is.EqualTo(1));
    }

    [Test]
    public async Task OrderStatusChanged_capture_failure_becomes_a_note_a_log_entry_and_a_failed_operation_without_throwing()
    {
        _harness.Settings.CaptureUponFulfillmentMode = KlarnaCaptureUponFulfillmentMode.OnOrderStatus;
        _harness.Settings.CaptureOnOrderStatusId = (int)OrderStatus.Complete;
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));
        _harness.Klarna.NextFault["capture"] = "CAPTURE_NOT_ALLOWED";

        Assert.DoesNotThrowAsync(() => ChangeStatusAsync(order, OrderStatus.Complete));

        Assert.That(_harness.OperationsOf(order).Single().Status, Is.EqualTo(KlarnaOperationStatus.Failed));
        Assert.That(_harness.NotesOf(order).Single(), Does.Contain("CAPTURE_NOT_ALLOWED"));
        _harness.Logger.Verify(l => l.ErrorAsync(It.IsAny<string>(), It.IsAny<Exception>(), It.IsAny<Customer>()), Times.Once);
        Assert.That(order.OrderStatusId, Is.EqualTo((int)OrderStatus.Complete), "nopCommerce's own change stands");
    }

    [Test]
    public async Task ShipmentSent_per_shipment_captures_the_shipment_items_with_the_shipping_fee_on_the_first_and_its_tracking()
    {
        _harness.Settings.CaptureUponFulfillmentMode = KlarnaCaptureUponFulfillmentMode.PerShipment;
        var guidA = Guid.NewGuid();
        var guidB = Guid.NewGuid();
        var lineA = Line("sku-a", 2, 1000);
        lineA.MerchantData = guidA.ToString();
        var lineB = Line(guidB.ToString(), 1, 3000);
        var order = _harness.CreateOrder(lineA, lineB, Line("shipping", 1, 490, type: KlarnaOrderLineType.ShippingFee));
        var itemA = _harness.AddOrderItem(order, guidA, 2);
        var itemB = _harness.AddOrderItem(order, guidB, 1);
        var first = _harness.AddShipment(order, "TRACK-A", true, (itemA, 1));
        var second = _harness.AddShipment(order, "TRACK-B", true, (itemA, 1), (itemB, 1));

        await _harness.Consumer.HandleEventAsync(NopEvents.ShipmentSent(first));
        await _harness.Consumer.HandleEventAsync(NopEvents.ShipmentSent(first));
        await _harness.Consumer.HandleEventAsync(NopEvents.ShipmentSent(second));

        var captures = _harness.KlarnaOrderOf(order).Captures;
        Assert.Multiple(() =>
        {
            Assert.That(captures, Has.Count.EqualTo(2), "the repeated event captured nothing");
            Assert.That(captures[0].OrderLines.Select(l => (l.Reference, l.Quantity)), Is.EquivalentTo(new[] { ("sku-a", 1L), ("shipping", 1L) }));
            Assert.That(captures[0].CapturedAmount, Is.EqualTo(1490));
            Assert.That(captures[0].ShippingInfo.Single().TrackingNumber, Is.EqualTo("TRACK-A"));
            Assert.That(captures[1].OrderLines.Select(l => (l.Reference, l.Quantity)), Is.EquivalentTo(new[] { ("sku-a", 1L), (guidB.ToString(), 1L) }));
            Assert.That(captures[1].ShippingInfo.Single().TrackingNumber, Is.EqualTo("TRACK-B"));
            Assert.That(_harness.KlarnaOrderOf(order).Status, Is.EqualTo(KlarnaOrderStatus.Captured));
            Assert.That(order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.Paid));
        });
    }

    [Test]
    public async Task ShipmentSent_matches_items_to_the_checkouts_line_references_sku_suffix_and_product_id()
    {
        _harness.Settings.CaptureUponFulfillmentMode = KlarnaCaptureUponFulfillmentMode.PerShipment;
        var order = _harness.CreateOrder(Line("SHOE", 1, 1000), Line("SHOE-2", 2, 1100), Line("product-7", 1, 500),
            Line("shipping", 1, 490, type: KlarnaOrderLineType.ShippingFee));
        var red = _harness.AddOrderItem(order, Guid.NewGuid(), 1, productId: 3, sku: "SHOE");
        var blue = _harness.AddOrderItem(order, Guid.NewGuid(), 2, productId: 3, sku: "SHOE");
        var noSku = _harness.AddOrderItem(order, Guid.NewGuid(), 1, productId: 7);
        var shipment = _harness.AddShipment(order, "T-1", true, (blue, 2), (noSku, 1));

        await _harness.Consumer.HandleEventAsync(NopEvents.ShipmentSent(shipment));

        var capture = _harness.KlarnaOrderOf(order).Captures.Single();
        Assert.That(capture.OrderLines.Select(l => (l.Reference, l.Quantity)),
            Is.EquivalentTo(new[] { ("SHOE-2", 2L), ("product-7", 1L), ("shipping", 1L) }));
        Assert.That(red.Id, Is.LessThan(blue.Id));
    }

    [Test]
    public async Task ShipmentSent_with_items_matching_no_klarna_line_captures_nothing_and_leaves_a_note()
    {
        _harness.Settings.CaptureUponFulfillmentMode = KlarnaCaptureUponFulfillmentMode.PerShipment;
        var order = _harness.CreateOrder(Line("SHOE", 1, 1000));
        var item = _harness.AddOrderItem(order, Guid.NewGuid(), 1, productId: 9, sku: "OTHER");
        var shipment = _harness.AddShipment(order, "T-1", true, (item, 1));

        await _harness.Consumer.HandleEventAsync(NopEvents.ShipmentSent(shipment));

        Assert.That(_harness.Klarna.Writes, Is.Empty);
        Assert.That(_harness.NotesOf(order).Single(), Does.Contain("match no Klarna order line"));
    }

    [Test]
    public async Task ShipmentSent_does_nothing_in_other_modes()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 1000));
        var item = _harness.AddOrderItem(order, Guid.NewGuid(), 1);
        var shipment = _harness.AddShipment(order, "T", true, (item, 1));

        await _harness.Consumer.HandleEventAsync(NopEvents.ShipmentSent(shipment));

        Assert.That(_harness.Klarna.Writes, Is.Empty);
    }

    [Test]
    public async Task ShipmentTrackingNumberSet_adds_the_tracking_to_the_capture_of_that_shipment_once()
    {
        _harness.Settings.CaptureUponFulfillmentMode = KlarnaCaptureUponFulfillmentMode.PerShipment;
        var guid = Guid.NewGuid();
        var line = Line("sku-a", 1, 1000);
        line.MerchantData = guid.ToString();
        var order = _harness.CreateOrder(line);
        var item = _harness.AddOrderItem(order, guid, 1);
        var shipment = _harness.AddShipment(order, null, true, (item, 1));
        await _harness.Consumer.HandleEventAsync(NopEvents.ShipmentSent(shipment));

        shipment.TrackingNumber = "LATE-1";
        await _harness.Consumer.HandleEventAsync(NopEvents.TrackingNumberSet(shipment));
        await _harness.Consumer.HandleEventAsync(NopEvents.TrackingNumberSet(shipment));

        var capture = _harness.KlarnaOrderOf(order).Captures.Single();
        Assert.That(capture.ShippingInfo.First().TrackingNumber, Is.Null, "the capture carried the carrier only");
        Assert.That(capture.ShippingInfo.Where(s => s.TrackingNumber is not null).Select(s => (s.ShippingCompany, s.TrackingNumber, s.TrackingUri)),
            Is.EqualTo(new[] { ("DHL Paket", "LATE-1", "https://tracking.example/LATE-1") }));
        Assert.That(_harness.Klarna.Writes.Count(w => w.Method == "shipping-info"), Is.EqualTo(1));
        Assert.That(_harness.OperationsOf(order).Single(op => op.Kind == KlarnaOperationKind.ShippingInfo).KlarnaId, Is.EqualTo(capture.CaptureId));
    }

    [Test]
    public async Task A_shipping_info_whose_answer_was_lost_is_sent_again_with_its_own_key_on_the_next_event()
    {
        var order = _harness.CreateOrder(Line("sku-a", 1, 1000));
        var item = _harness.AddOrderItem(order, Guid.NewGuid(), 1);
        var shipment = _harness.AddShipment(order, null, true, (item, 1));
        await _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = order.Id, Initiator = KlarnaInitiator.Admin });
        shipment.TrackingNumber = "LATE-2";
        _harness.Klarna.NextFault["shipping-info"] = "drop";

        await _harness.Consumer.HandleEventAsync(NopEvents.TrackingNumberSet(shipment));
        var pending = _harness.OperationsOf(order).Single(op => op.Kind == KlarnaOperationKind.ShippingInfo);
        await _harness.Consumer.HandleEventAsync(NopEvents.TrackingNumberSet(shipment));

        var keys = _harness.Klarna.Writes.Where(w => w.Method == "shipping-info").Select(w => w.Key).ToList();
        var operation = _harness.OperationsOf(order).Single(op => op.Kind == KlarnaOperationKind.ShippingInfo);
        Assert.Multiple(() =>
        {
            Assert.That(pending.Status, Is.EqualTo(KlarnaOperationStatus.Pending));
            Assert.That(operation.Status, Is.EqualTo(KlarnaOperationStatus.Succeeded));
            Assert.That(keys, Has.Count.EqualTo(2));
            Assert.That(keys.Distinct(), Is.EqualTo(new[] { operation.IdempotencyKey }));
            Assert.That(_harness.KlarnaOrderOf(order).Captures.Single().ShippingInfo.Count(s => s.TrackingNumber == "LATE-2"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task ShipmentTrackingNumberSet_before_any_capture_is_a_silent_no_op()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 1000));
        var shipment = _harness.AddShipment(order, "EARLY", false);

        await _harness.Consumer.HandleEventAsync(NopEvents.TrackingNumberSet(shipment));

        Assert.That(_harness.Klarna.Writes, Is.Empty);
        Assert.That(_harness.NotesOf(order), Is.Empty);
    }

    [Test]
    public async Task Events_of_orders_paid_otherwise_are_ignored()
    {
        _harness.Settings.CaptureUponFulfillmentMode = KlarnaCaptureUponFulfillmentMode.OnOrderStatus;
        var order = _harness.CreateOrder(Line("sku-1", 1, 1000));
        order.PaymentMethodSystemName = "Payments.Manual";

        await ChangeStatusAsync(order, OrderStatus.Complete);

        Assert.That(_harness.Klarna.Writes, Is.Empty);
    }
}
