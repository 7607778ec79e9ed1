using Nop.Core.Domain.Orders;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;
using static Nop.Plugin.Payments.Klarna.Tests.Support.OrderManagementHarness;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

/// <summary>
/// A tracking number set after the capture is added to the capture that covers the shipment, once
/// </summary>
[TestFixture]
public class KlarnaShippingInfoCommandTests
{
    private OrderManagementHarness _harness;
    private Order _order;
    private Nop.Core.Domain.Shipping.Shipment _shipment;

    [SetUp]
    public void SetUp()
    {
        _harness = new OrderManagementHarness();
        _order = _harness.CreateOrder(Line("sku-a", 1, 1000));
        var item = _harness.AddOrderItem(_order, Guid.NewGuid(), 1);
        _shipment = _harness.AddShipment(_order, null, true, (item, 1));
    }

    [TearDown]
    public void TearDown() => _harness.Dispose();

    private Task<KlarnaOperationResult> AddAsync(int? shipmentId = null) => _harness.Executor.ExecuteAsync(new KlarnaShippingInfoCommand
    {
        OrderId = _order.Id,
        ShipmentId = shipmentId ?? _shipment.Id,
        Initiator = KlarnaInitiator.Admin, InitiatedBy = "test"
    });

    [Test]
    public async Task The_tracking_number_is_added_to_the_capture_and_noted()
    {
        var capture = await _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = _order.Id });
        _shipment.TrackingNumber = "LATE-1";

        var result = await AddAsync();

        Assert.That(result.Success, Is.True, _harness.TextOf(result));
        Assert.That(result.Operation.KlarnaId, Is.EqualTo(capture.Operation.KlarnaId));
        Assert.That(_harness.KlarnaOrderOf(_order).Captures.Single().ShippingInfo.Select(s => s.TrackingNumber), Has.Member("LATE-1"));
        Assert.That(_harness.NotesOf(_order), Has.Some.Contains("tracking number LATE-1").And.Contains(capture.Operation.KlarnaId));
    }

    [Test]
    public async Task A_tracking_number_the_capture_already_has_is_nothing_to_do()
    {
        _shipment.TrackingNumber = "T-1";
        await _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = _order.Id });

        var result = await AddAsync();

        Assert.That(result.Refusal.Code, Is.EqualTo(KlarnaRefusalCode.TrackingAlreadySent));
        Assert.That(result.NothingToDo, Is.True);
        Assert.That(_harness.Klarna.Writes.Count(w => w.Method == "shipping-info"), Is.Zero);
    }

    [Test]
    public async Task Without_a_capture_or_without_a_tracking_number_there_is_nothing_to_do()
    {
        _shipment.TrackingNumber = "EARLY";
        var beforeCapture = await AddAsync();
        _shipment.TrackingNumber = null;
        await _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = _order.Id });
        var withoutNumber = await AddAsync();

        Assert.That(beforeCapture.Refusal.Code, Is.EqualTo(KlarnaRefusalCode.NoCaptureForShipment));
        Assert.That(withoutNumber.Refusal.Code, Is.EqualTo(KlarnaRefusalCode.NoTrackingNumber));
        Assert.That(_harness.NotesOf(_order).Where(n => n.Contains("not done")), Is.Empty, "nothing to do leaves no note");
    }

    [Test]
    public async Task A_shipment_of_another_order_is_refused()
    {
        await _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = _order.Id });
        var other = _harness.CreateOrder(Line("sku-b", 1, 1000));
        var foreign = _harness.AddShipment(other, "T-9", true);

        var result = await AddAsync(foreign.Id);

        Assert.That(result.Refusal.Code, Is.EqualTo(KlarnaRefusalCode.ShipmentNotInOrder));
        Assert.That(_harness.Klarna.Writes.Count(w => w.Method == "shipping-info"), Is.Zero);
    }
    [Test]
    public async Task The_tracking_number_goes_to_the_capture_of_its_shipment_not_to_a_later_one()
    {
        var order = _harness.CreateOrder(Line("sku-a", 1, 1000), Line("sku-b", 1, 2000));
        var first = _harness.AddShipment(order, null, true);
        var byShipment = await _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = order.Id, AmountMinor = 1000, ShipmentIds = new List<int> { first.Id } });
        var rest = await _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = order.Id });
        first.TrackingNumber = "FIRST-1";

        var result = await _harness.Executor.ExecuteAsync(new KlarnaShippingInfoCommand { OrderId = order.Id, ShipmentId = first.Id, Initiator = KlarnaInitiator.Admin });

        Assert.That((byShipment.Success, rest.Success, result.Success), Is.EqualTo((true, true, true)), _harness.TextOf(result));
        Assert.That(result.Operation.KlarnaId, Is.EqualTo(byShipment.Operation.KlarnaId));
        Assert.That(result.Operation.ShipmentId, Is.EqualTo(first.Id));
    }

    [Test]
    public async Task A_tracking_number_added_after_a_capture_without_parcels_goes_to_that_capture_and_not_to_a_refund()
    {
        var order = _harness.CreateOrder(Line("sku-a", 2, 1000));
        var capture = await _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = order.Id });
        var refund = await _harness.Executor.ExecuteAsync(new KlarnaRefundCommand { OrderId = order.Id, AmountMinor = 500 });
        var shipment = _harness.AddShipment(order, "NEW-1", true);

        var result = await _harness.Executor.ExecuteAsync(new KlarnaShippingInfoCommand { OrderId = order.Id, ShipmentId = shipment.Id, Initiator = KlarnaInitiator.Admin });

        Assert.That((capture.Success, refund.Success), Is.EqualTo((true, true)), _harness.TextOf(refund));
        Assert.That(result.Success, Is.True, _harness.TextOf(result));
        Assert.That(result.Operation.KlarnaId, Is.EqualTo(capture.Operation.KlarnaId));
        Assert.That(_harness.KlarnaOrderOf(order).Captures.Single().ShippingInfo.Select(s => s.TrackingNumber), Is.EqualTo(new[] { "NEW-1" }));
    }

    [Test]
    public async Task A_tracking_number_whose_answer_is_lost_again_stays_pending_and_is_not_sent_as_a_second_operation()
    {
        var capture = await _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = _order.Id });
        _shipment.TrackingNumber = "LOST-1";
        _harness.Klarna.NextFault["shipping-info"] = "drop";
        var lost = await AddAsync();
        _harness.Klarna.NextFault["shipping-info"] = "drop";

        var again = await AddAsync();

        Assert.That(capture.Success, Is.True, _harness.TextOf(capture));
        Assert.That(lost.Operation.Status, Is.EqualTo(KlarnaOperationStatus.Pending));
        Assert.That(again.Refusal?.Code, Is.EqualTo(KlarnaRefusalCode.OperationPending), _harness.TextOf(again));
        Assert.That(_harness.OperationsOf(_order).Count(op => op.Kind == KlarnaOperationKind.ShippingInfo), Is.EqualTo(1));
        Assert.That(_harness.Klarna.Writes.Count(w => w.Method == "shipping-info"), Is.EqualTo(2), "the first send and the replay of its key, nothing else");
    }

    [Test]
    public async Task A_corrected_tracking_number_of_the_same_shipment_is_added_after_the_first()
    {
        await _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = _order.Id });
        _shipment.TrackingNumber = "FIRST-1";
        var first = await AddAsync();
        _shipment.TrackingNumber = "FIXED-2";

        var corrected = await AddAsync();

        Assert.That((first.Success, corrected.Success), Is.EqualTo((true, true)), _harness.TextOf(corrected));
        Assert.That(_harness.KlarnaOrderOf(_order).Captures.Single().ShippingInfo.Select(s => s.TrackingNumber).Where(n => n is not null), Is.EqualTo(new[] { "FIRST-1", "FIXED-2" }));
    }
}
