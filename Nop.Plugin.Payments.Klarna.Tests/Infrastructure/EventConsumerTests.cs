using Moq;
using Nop.Core.Domain.Customers;
using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Payments;
using Nop.Core.Domain.Shipping;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
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
        await _harness.Service.CaptureAsync(new KlarnaCaptureCommand { OrderId = order.Id, AmountMinor = 2500, Initiator = KlarnaInitiator.Admin });

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
    public async Task OrderStatusChanged_set_by_the_plugins_own_status_mapping_does_not_capture()
    {
        _harness.Settings.CaptureUponFulfillmentMode = KlarnaCaptureUponFulfillmentMode.OnOrderStatus;
        _harness.Settings.CaptureOnOrderStatusId = (int)OrderStatus.Complete;
        _harness.Settings.OrderStatusAfterPartialCaptureId = (int)OrderStatus.Complete;
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));

        var result = await _harness.Service.CaptureAsync(new KlarnaCaptureCommand { OrderId = order.Id, AmountMinor = 2500, Initiator = KlarnaInitiator.Admin });

        Assert.That(result.Success, Is.True, result.Error);
        Assert.That(order.OrderStatusId, Is.EqualTo((int)OrderStatus.Complete));
        Assert.That(_harness.KlarnaOrderOf(order).Captures, Has.Count.EqualTo(1));
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
    public async Task AddShippingInfoAsync_retry_after_a_lost_answer_reuses_the_pending_operation_and_its_key()
    {
        var order = _harness.CreateOrder(Line("sku-a", 1, 1000));
        var item = _harness.AddOrderItem(order, Guid.NewGuid(), 1);
        var shipment = _harness.AddShipment(order, null, true, (item, 1));
        await _harness.Service.CaptureAsync(new KlarnaCaptureCommand { OrderId = order.Id, Initiator = KlarnaInitiator.Admin });
        shipment.TrackingNumber = "LATE-2";
        _harness.Klarna.NextFault["shipping-info"] = "drop";

        var first = await _harness.Service.AddShippingInfoAsync(order.Id, shipment.Id, KlarnaInitiator.Admin);
        var second = await _harness.Service.AddShippingInfoAsync(order.Id, shipment.Id, KlarnaInitiator.Admin);

        var keys = _harness.Klarna.Writes.Where(w => w.Method == "shipping-info").Select(w => w.Key).ToList();
        Assert.That(first.Success, Is.False);
        Assert.That(second.Success, Is.True, second.Error);
        Assert.That(keys, Has.Count.EqualTo(2));
        Assert.That(keys.Distinct().Count(), Is.EqualTo(1));
        Assert.That(_harness.OperationsOf(order).Count(op => op.Kind == KlarnaOperationKind.ShippingInfo), Is.EqualTo(1));
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
