using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Shipping;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;
using static Nop.Plugin.Payments.Klarna.Tests.Support.OrderManagementHarness;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

/// <summary>
/// Capturing one shipment (capture upon fulfillment) through the executor, against the in-memory Klarna: its items, the
/// shipping fee with the first shipment only, and the refusals that leave Klarna untouched
/// </summary>
[TestFixture]
public class KlarnaShipmentCaptureCommandTests
{
    private OrderManagementHarness _harness;
    private Order _order;
    private OrderItem _shoe;
    private OrderItem _hat;

    [SetUp]
    public void SetUp()
    {
        _harness = new OrderManagementHarness();
        var shoe = Guid.NewGuid();
        var hat = Guid.NewGuid();
        _order = _harness.CreateOrder(Line(shoe.ToString(), 2, 5000), Line(hat.ToString(), 1, 1500),
            Line("shipping", 1, 490, type: KlarnaOrderLineType.ShippingFee));
        _shoe = _harness.AddOrderItem(_order, shoe, 2, productId: 1);
        _hat = _harness.AddOrderItem(_order, hat, 1, productId: 2);
    }

    [TearDown]
    public void TearDown() => _harness.Dispose();

    private Task<KlarnaOperationResult> CaptureShipmentAsync(Shipment shipment, string description = null) =>
        _harness.Executor.ExecuteAsync(new KlarnaShipmentCaptureCommand
        {
            OrderId = _order.Id,
            ShipmentId = shipment.Id,
            Description = description,
            Initiator = KlarnaInitiator.CaptureUponFulfillment,
            InitiatedBy = "fulfillment"
        });

    private IEnumerable<(string Reference, long Quantity)> CapturedLines(int index) =>
        _harness.KlarnaOrderOf(_order).Captures[index].OrderLines.Select(l => (l.Reference, l.Quantity));

    [Test]
    public async Task The_first_shipment_captures_its_items_and_the_shipping_fee_and_names_the_shipment()
    {
        var shipment = _harness.AddShipment(_order, "TRACK-1", true, (_shoe, 2));

        var result = await CaptureShipmentAsync(shipment);

        Assert.That(result.Success, Is.True, _harness.TextOf(result));
        Assert.That(CapturedLines(0), Is.EquivalentTo(new[] { (_shoe.OrderItemGuid.ToString(), 2L), ("shipping", 1L) }));
        Assert.That(_harness.KlarnaOrderOf(_order).CapturedAmount, Is.EqualTo(10490));
        Assert.That(result.Operation.ShipmentId, Is.EqualTo(shipment.Id));
        Assert.That(result.Operation.Description, Is.EqualTo($"Shipment {shipment.Id}"));
        Assert.That(_harness.KlarnaOrderOf(_order).Captures[0].ShippingInfo.Single().TrackingNumber, Is.EqualTo("TRACK-1"));
    }

    [Test]
    public async Task A_later_shipment_captures_only_its_items()
    {
        var first = _harness.AddShipment(_order, "TRACK-1", true, (_shoe, 2));
        var second = _harness.AddShipment(_order, "TRACK-2", true, (_hat, 1));
        await CaptureShipmentAsync(first);

        var result = await CaptureShipmentAsync(second, "second parcel");

        Assert.That(result.Success, Is.True, _harness.TextOf(result));
        Assert.That(CapturedLines(1), Is.EqualTo(new[] { (_hat.OrderItemGuid.ToString(), 1L) }));
        Assert.That(result.Operation.Description, Is.EqualTo("second parcel"));
        Assert.That(_harness.KlarnaOrderOf(_order).Status, Is.EqualTo(KlarnaOrderStatus.Captured));
    }

    [Test]
    public async Task A_shipment_captured_already_is_not_captured_again()
    {
        var shipment = _harness.AddShipment(_order, "TRACK-1", true, (_shoe, 1));
        await CaptureShipmentAsync(shipment);

        var result = await CaptureShipmentAsync(shipment);

        Assert.That(result.Refusal?.Code, Is.EqualTo(KlarnaRefusalCode.ShipmentAlreadyCaptured));
        Assert.That(_harness.KlarnaOrderOf(_order).Captures, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_shipment_of_another_order_or_none_at_all_is_refused()
    {
        var other = _harness.CreateOrder(Line("x", 1, 100));
        var foreign = _harness.AddShipment(other, "T", true);

        var result = await CaptureShipmentAsync(foreign);
        var missing = await CaptureShipmentAsync(new Shipment { Id = 987654 });

        Assert.That(result.Refusal?.Code, Is.EqualTo(KlarnaRefusalCode.ShipmentNotInOrder));
        Assert.That(missing.Refusal?.Code, Is.EqualTo(KlarnaRefusalCode.ShipmentNotInOrder));
        Assert.That(_harness.KlarnaOrderOf(_order).Captures, Is.Empty);
    }

    [Test]
    public async Task A_shipment_with_items_Klarna_does_not_know_is_refused_naming_them()
    {
        var unknown = _harness.AddOrderItem(_order, Guid.NewGuid(), 1, productId: 3, sku: "UNKNOWN-SKU");
        var shipment = _harness.AddShipment(_order, "TRACK-1", true, (_shoe, 1), (unknown, 1));

        var result = await CaptureShipmentAsync(shipment);

        Assert.That(result.Refusal?.Code, Is.EqualTo(KlarnaRefusalCode.ShipmentLinesUnmatched));
        Assert.That(_harness.KlarnaOrderOf(_order).Captures, Is.Empty);
    }

    [Test]
    public async Task A_later_shipment_without_items_has_nothing_to_capture()
    {
        var first = _harness.AddShipment(_order, "TRACK-1", true, (_shoe, 1));
        await CaptureShipmentAsync(first);
        var empty = _harness.AddShipment(_order, "TRACK-2", true);

        var result = await CaptureShipmentAsync(empty);

        Assert.That(result.Refusal?.Code, Is.EqualTo(KlarnaRefusalCode.NothingInShipment));
        Assert.That(_harness.KlarnaOrderOf(_order).Captures, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_shipment_of_an_order_Klarna_no_longer_lets_capture_is_refused_with_the_orders_refusal()
    {
        await _harness.Executor.ExecuteAsync(new KlarnaCancelCommand { OrderId = _order.Id, Initiator = KlarnaInitiator.Admin });
        var shipment = _harness.AddShipment(_order, "TRACK-1", true, (_shoe, 1));

        var result = await CaptureShipmentAsync(shipment);

        Assert.That(result.Refusal?.Code, Is.EqualTo(KlarnaRefusalCode.CaptureNotAllowed));
        Assert.That(_harness.KlarnaOrderOf(_order).Captures, Is.Empty);
    }

    [Test]
    public async Task A_capture_of_chosen_shipments_records_the_shipment_only_when_it_is_one()
    {
        var first = _harness.AddShipment(_order, "TRACK-1", true, (_shoe, 1));
        var second = _harness.AddShipment(_order, "TRACK-2", true, (_shoe, 1));

        var one = await _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand
        {
            OrderId = _order.Id, AmountMinor = 100, ShipmentIds = new List<int> { first.Id }, Initiator = KlarnaInitiator.Admin
        });
        var two = await _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand
        {
            OrderId = _order.Id, AmountMinor = 100, ShipmentIds = new List<int> { first.Id, second.Id }, Initiator = KlarnaInitiator.Admin
        });

        Assert.That(one.Operation.ShipmentId, Is.EqualTo(first.Id), _harness.TextOf(one));
        Assert.That(two.Operation.ShipmentId, Is.Null, _harness.TextOf(two));
    }

    [Test]
    public async Task A_capture_without_shipped_parcels_sends_no_shipping_info()
    {
        var result = await _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = _order.Id, AmountMinor = 100, Initiator = KlarnaInitiator.Admin });

        Assert.That(result.Success, Is.True, _harness.TextOf(result));
        Assert.That(result.Operation.ShippingInfoJson, Is.Null.Or.Empty);
        var sent = ((Newtonsoft.Json.Linq.JObject)_harness.Klarna.Writes.Single().Body)["shipping_info"];
        Assert.That(sent is null || sent.Type == Newtonsoft.Json.Linq.JTokenType.Null, Is.True, "no shipping_info, not an empty list");
    }

    [Test]
    public async Task The_first_shipment_after_the_shipping_fee_was_captured_by_lines_captures_its_items_only()
    {
        var fee = await _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand
        {
            OrderId = _order.Id,
            Lines = new List<KlarnaLineSelection> { new() { Reference = "shipping", Quantity = 1 } },
            Initiator = KlarnaInitiator.Admin
        });
        var shipment = _harness.AddShipment(_order, "TRACK-1", true, (_shoe, 2));

        var result = await CaptureShipmentAsync(shipment);

        Assert.That(fee.Success, Is.True, _harness.TextOf(fee));
        Assert.That(result.Success, Is.True, _harness.TextOf(result));
        Assert.That(CapturedLines(1), Is.EqualTo(new[] { (_shoe.OrderItemGuid.ToString(), 2L) }), "the fee captured already is left out, not refused");
    }

    [Test]
    public async Task A_shipment_whose_capture_Klarna_refused_is_captured_when_it_is_shipped_again()
    {
        var shipment = _harness.AddShipment(_order, "TRACK-1", true, (_shoe, 2));
        _harness.Klarna.NextFault["capture"] = "CAPTURE_NOT_ALLOWED";
        var refused = await CaptureShipmentAsync(shipment);

        var again = await CaptureShipmentAsync(shipment);

        Assert.That(refused.Success, Is.False);
        Assert.That(_harness.OperationsOf(_order).Single(op => op.Id == refused.Operation.Id).Status, Is.EqualTo(KlarnaOperationStatus.Failed));
        Assert.That(again.Success, Is.True, _harness.TextOf(again));
        Assert.That(CapturedLines(0), Is.EquivalentTo(new[] { (_shoe.OrderItemGuid.ToString(), 2L), ("shipping", 1L) }));
    }
}
